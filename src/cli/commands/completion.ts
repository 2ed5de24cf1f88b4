// Shell completion scripts, generated from the commands' own argument definitions, so a new flag is
// completed without anyone editing a script. Tags and ids come from the daemon while typing
// (`todo __complete`), when one answers.
import type { ArgDef, ArgsDef } from "citty";
import { defineCommand } from "../define-command";
import { ORDER_FIELDS, SHORT_STATES as STATES } from "../../vocabulary/todo";
import { CliError } from "../errors";

/** What the scripts complete of a command. */
export interface CatalogEntry {
  name: string;
  aliases: string[];
  summary: string;
  args: ArgsDef;
  /** For a command that groups others (config): theirs, by name. */
  subCommands: Record<string, ArgsDef>;
}

const SHELLS = ["bash", "zsh", "fish"] as const;
/** Commands whose arguments are ids. */
const TAKES_IDS = new Set(["read", "update", "delete", "done", "start"]);
/** Commands whose arguments may be +tag words. */
const TAKES_TAGS = new Set(["add", "list", "search", "delete", "done", "start"]);

/** What a flag's value is, for completing it: a fixed list, a kind the shell or the daemon knows, or nothing. */
type ValueKind = { values: string[] } | "states" | "tags" | "file" | "text" | "none";

function valueKind(name: string, def: ArgDef): ValueKind {
  if (def.type === "boolean") return "none";
  if (def.type === "enum") return { values: def.options ?? [] };
  if (name === "state" || name === "states") return "states";
  if (name === "tags") return "tags";
  if (name === "order-by") return { values: ORDER_FIELDS.flatMap((o) => [o, `${o} desc`]) };
  if (def.valueHint === "file") return "file";
  return "text";
}

interface Flag {
  name: string;
  description: string;
  kind: ValueKind;
}

const flagsOf = (args: Record<string, ArgDef>): Flag[] =>
  Object.entries(args)
    .filter(([, def]) => def.type !== "positional")
    .map(([name, def]) => ({ name, description: (def.description ?? "").split(/[.;(]/)[0]!.trim(), kind: valueKind(name, def) }));

/** Every name a command answers to. */
const names = (c: CatalogEntry) => [c.name, ...c.aliases];

/** The words after a command: its subcommands, or `completion`'s shells. */
const subWords = (c: CatalogEntry) => (c.name === "completion" ? [...SHELLS] : Object.keys(c.subCommands));

/** A word as one single-quoted bash word. */
const quoted = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** Offers the given words (our own: commands, states, orders) that start with the word being completed. */
const offerWords = (words: readonly string[]) => `_todo_offer ${words.map(quoted).join(" ")}`;

// Nothing from the daemon passes through compgen -W, eval or an unquoted expansion: compgen -W expands
// its word list ($(…), `…`, ${…}, $((…)), ~, globs), so a stored tag would run on every TAB. Candidates
// are compared as literal strings, and offered as `printf %q` quotes them, so bash inserts each as one
// word that means exactly the stored text (a tag `a b` is inserted as a\ b, `$(x)` as \$\(x\)).
function bash(commands: CatalogEntry[]): string {
  const lines = [
    "# todo completion for bash. Load it with: source <(todo completion bash)",
    "# or save it as ~/.local/share/bash-completion/completions/todo",
    "_todo_daemon() {",
    '  local addr="" i',
    "  for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do",
    '    [[ "${COMP_WORDS[i]}" == --addr ]] && addr="${COMP_WORDS[i+1]}"',
    '    [[ "${COMP_WORDS[i]}" == --addr=* ]] && addr="${COMP_WORDS[i]#--addr=}"',
    "  done",
    '  todo __complete "$1" ${addr:+--addr "$addr"} 2>/dev/null | cut -f1',
    "}",
    "# Adds to COMPREPLY each word (an argument) that starts with $cur, literally, shell-quoted.",
    "_todo_offer() {",
    "  local word quoted typed=${cur#[\\\"\\']}",
    "  for word; do",
    '    printf -v quoted %q "$word"',
    '    if [[ $word == "$typed"* || $quoted == "$cur"* ]]; then COMPREPLY+=("$quoted"); fi',
    "  done",
    "}",
    "# Offers what the daemon knows of a kind (tags, +tags, ids), one value a line, none of it run.",
    '_todo_offer_daemon() { local -a words; mapfile -t words < <(_todo_daemon "$1"); _todo_offer "${words[@]}"; }',
    "_todo() {",
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="" i',
    "  COMPREPLY=()",
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    case "${COMP_WORDS[i]}" in -*) ;; *) cmd="${COMP_WORDS[i]}"; break ;; esac',
    "  done",
    `  if [[ -z "$cmd" ]]; then ${offerWords(commands.flatMap(names))}; return; fi`,
    '  case "$prev" in',
    `    --state|--states) ${offerWords(STATES)}; return ;;`,
    "    --tags) _todo_offer_daemon tags; return ;;",
    `    --order-by) ${offerWords(ORDER_FIELDS.flatMap((o) => [o, `${o} desc`]))}; return ;;`,
    "  esac",
    '  case "$cmd" in',
  ];
  for (const c of commands) {
    const flags = flagsOf(c.args);
    lines.push(`    ${names(c).join("|")})`);
    lines.push("      case \"$prev\" in");
    for (const f of flags) {
      if (typeof f.kind === "object") lines.push(`        --${f.name}) ${offerWords(f.kind.values)}; return ;;`);
      // Files are the shell's own business: bash quotes them itself (-o filenames), and mapfile keeps each name whole.
      else if (f.kind === "file") lines.push(`        --${f.name}) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;`);
      else if (f.kind === "text") lines.push(`        --${f.name}) return ;;`);
    }
    lines.push("      esac");
    lines.push(`      if [[ "$cur" == -* ]]; then ${offerWords(flags.map((f) => `--${f.name}`))}; return; fi`);
    if (TAKES_TAGS.has(c.name)) lines.push('      if [[ "$cur" == +* ]]; then _todo_offer_daemon +tags; return; fi');
    if (TAKES_IDS.has(c.name)) lines.push("      _todo_offer_daemon ids");
    if (subWords(c).length) lines.push(`      [[ "$cmd" == "\${COMP_WORDS[COMP_CWORD-1]}" ]] && ${offerWords(subWords(c))}`);
    lines.push("      ;;");
  }
  lines.push("  esac", "}", "complete -F _todo todo", "");
  return lines.join("\n");
}

/** Text safe inside a zsh _arguments spec or a single-quoted fish string. */
const plain = (text: string) => text.replace(/[[\]:'\\`$]/g, "");

function zsh(commands: CatalogEntry[]): string {
  const action = (f: Flag) => {
    if (f.kind === "none") return "";
    if (typeof f.kind === "object") return `:${f.name}:(${f.kind.values.map((v) => v.replace(/ /g, "\\ ")).join(" ")})`;
    if (f.kind === "states") return `:state:(${STATES.join(" ")})`;
    if (f.kind === "tags") return ":tags:_todo_tags";
    if (f.kind === "file") return ":file:_files";
    return `:${f.name}: `;
  };
  const lines = [
    "#compdef todo",
    "# todo completion for zsh. Load it with: source <(todo completion zsh)",
    "# or save it as _todo in a directory of $fpath",
    "_todo_daemon() {",
    "  local addr i",
    "  for (( i = 1; i < $#words; i++ )); do",
    "    [[ $words[i] == --addr ]] && addr=$words[i+1]",
    "    [[ $words[i] == --addr=* ]] && addr=${words[i]#--addr=}",
    "  done",
    '  todo __complete "$1" ${addr:+--addr=$addr} 2>/dev/null',
    "}",
    "_todo_tags() { local -a tags; tags=(${(f)\"$(_todo_daemon tags)\"}); compadd -a tags }",
    "_todo_words() {",
    '  if [[ $PREFIX == +* ]]; then local -a tags; tags=(${(f)"$(_todo_daemon +tags)"}); compadd -a tags; return; fi',
    // compadd and _describe take the values as data and quote them as they insert them; _describe splits
    // "value:description" at the first colon not escaped, so an id's colons are escaped.
    "  if (( $+_todo_ids[$words[1]] )); then",
    "    local -a ids; local line",
    "    for line in ${(f)\"$(_todo_daemon ids)\"}; do ids+=(\"${${line%%$'\\t'*}//:/\\\\:}:${line#*$'\\t'}\"); done",
    "    _describe id ids",
    "  fi",
    "}",
    "_todo() {",
    `  typeset -A _todo_ids; _todo_ids=(${[...TAKES_IDS].flatMap((n) => [n, 1, ...(n === "read" ? ["get", 1] : [])]).join(" ")})`,
    "  local -a commands",
    `  commands=(${commands.flatMap((c) => names(c).map((n) => `'${n}:${plain(c.summary)}'`)).join(" ")})`,
    "  local curcontext=$curcontext state line",
    "  _arguments -C '1: :->command' '*:: :->args' && return",
    "  case $state in",
    "    command) _describe -t commands 'todo command' commands ;;",
    "    args)",
    "      case $words[1] in",
  ];
  for (const c of commands) {
    const specs = flagsOf(c.args).map((f) => `'--${f.name}[${plain(f.description)}]${action(f)}'`);
    const rest = subWords(c).length ? `'1:command:(${subWords(c).join(" ")})'` : TAKES_IDS.has(c.name) || TAKES_TAGS.has(c.name) ? "'*: :_todo_words'" : "";
    lines.push(`        ${names(c).join("|")}) _arguments ${[...specs, rest].filter(Boolean).join(" ")} ;;`);
  }
  lines.push("      esac ;;", "  esac", "}", 'if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _todo "$@"; else compdef _todo todo; fi', "");
  return lines.join("\n");
}

function fish(commands: CatalogEntry[]): string {
  const lines = [
    "# todo completion for fish. Load it with: todo completion fish | source",
    "# or save it as ~/.config/fish/completions/todo.fish",
    "function __todo_daemon",
    "    set -l tokens (commandline -opc)",
    "    set -l addr",
    "    for i in (seq (count $tokens))",
    "        if test \"$tokens[$i]\" = --addr; and test $i -lt (count $tokens)",
    "            set addr $tokens[(math $i + 1)]",
    "        else if string match -q -- '--addr=*' $tokens[$i]",
    "            set addr (string replace -- '--addr=' '' $tokens[$i])",
    "        end",
    "    end",
    // fish inserts a candidate escaped, but for a leading ~ (which it then expands to a home directory:
    // a tag "~" would filter by /home/you) and leading Unicode spaces (which it then skips): values
    // starting with either are not offered here.
    "    if test -n \"$addr\"",
    "        todo __complete $argv[1] --addr $addr 2>/dev/null | string match -rv -- '^(~|[\\p{Z}\\s])'",
    "    else",
    "        todo __complete $argv[1] 2>/dev/null | string match -rv -- '^(~|[\\p{Z}\\s])'",
    "    end",
    "end",
    "complete -c todo -f",
  ];
  for (const c of commands) lines.push(`complete -c todo -n __fish_use_subcommand -a '${names(c).join(" ")}' -d '${plain(c.summary)}'`);
  for (const c of commands) {
    const when = `__fish_seen_subcommand_from ${names(c).join(" ")}`;
    for (const f of flagsOf(c.args)) {
      const values =
        typeof f.kind === "object" ? ` -x -a '${f.kind.values.map((v) => (v.includes(" ") ? `\\"${v}\\"` : v)).join(" ")}'` :
        f.kind === "states" ? ` -x -a '${STATES.join(" ")}'` :
        f.kind === "tags" ? " -x -a '(__todo_daemon tags)'" :
        f.kind === "file" ? " -r -F" :
        f.kind === "text" ? " -x" : "";
      lines.push(`complete -c todo -n '${when}' -l ${f.name}${values} -d '${plain(f.description)}'`);
    }
    if (TAKES_IDS.has(c.name)) lines.push(`complete -c todo -n '${when}' -a '(__todo_daemon ids)'`);
    if (TAKES_TAGS.has(c.name)) lines.push(`complete -c todo -n '${when}; and string match -q -- "+*" (commandline -ct)' -a '(__todo_daemon +tags)'`);
    if (subWords(c).length) lines.push(`complete -c todo -n '${when}' -a '${subWords(c).join(" ")}'`);
  }
  lines.push("");
  return lines.join("\n");
}

/**
 * The command, given the listed commands (src/cli/catalog.ts passes them in, so that this module does
 * not import the table that loads it).
 */
export const completionCommand = (catalog: () => Promise<CatalogEntry[]>) =>
  defineCommand({
    meta: {
      name: "completion",
      description:
        "Print a completion script for bash, zsh or fish: commands, flags, states, and tags and ids from the daemon when one answers.\n\nExamples:\n  source <(todo completion bash)     # in ~/.bashrc\n  source <(todo completion zsh)      # in ~/.zshrc, after compinit\n  todo completion fish > ~/.config/fish/completions/todo.fish",
    },
    args: { shell: { type: "positional", description: SHELLS.join(", "), required: true } },
    async run({ args }) {
      const generate = { bash, zsh, fish }[args.shell as (typeof SHELLS)[number]];
      if (!generate) throw new CliError(`shell: "${args.shell}" is not one of ${SHELLS.join(", ")}`, "input");
      process.stdout.write(generate(await catalog()));
    },
  });
