// The `todo` command: each subcommand lives in commands/<name>.ts and is imported only when run, so
// `todo --version`, `todo --help` or `todo read` never load the daemon, the stores or their drivers.
import type { ArgsDef, CommandDef, Resolvable } from "citty";
import { ConfigError } from "../config/error";
import { versionLine } from "../version";
import { closest, didYouMean, parseCommandLine } from "./command-line";
import { CliError } from "./errors";
import { columns, commandHelp, helpWidth, paragraphs } from "./help";
import { writeStderr } from "./terminal";
import { inert } from "./text";

interface Entry {
  /** The arguments as the overview shows them. */
  synopsis: string;
  summary: string;
  aliases?: string[];
  /** Listed under "Everyday" in the overview. */
  everyday?: boolean;
  /** Not listed: used by the shell completion scripts. */
  hidden?: boolean;
  load: () => Promise<CommandDef<any>>;
}

const load = (module: () => Promise<{ default: CommandDef<any> }>) => () => module().then((m) => m.default);

const COMMANDS: Record<string, Entry> = {
  add: { synopsis: "TITLE… [+tag…]", summary: "Create a todo", aliases: ["create"], everyday: true, load: load(() => import("./commands/add")) },
  list: { synopsis: "[PATTERN] [+tag…]", summary: "The todos not done, next reminder first", aliases: ["ls"], everyday: true, load: load(() => import("./commands/list")) },
  done: { synopsis: "ID…", summary: "Mark todos done (or all a filter selects)", everyday: true, load: load(() => import("./commands/done")) },
  start: { synopsis: "ID…", summary: "Mark todos in progress (or all a filter selects)", everyday: true, load: load(() => import("./commands/start")) },
  search: { synopsis: "[PATTERN] [+tag…]", summary: "Every todo matching the filters, in any state", everyday: true, load: load(() => import("./commands/search")) },
  read: { synopsis: "ID…", summary: "Show todos in full", aliases: ["get"], everyday: true, load: load(() => import("./commands/read")) },
  update: { synopsis: "ID…", summary: "Change fields of todos", everyday: true, load: load(() => import("./commands/update")) },
  delete: { synopsis: "ID…", summary: "Delete todos (or all a filter selects)", everyday: true, load: load(() => import("./commands/delete")) },
  export: { synopsis: "", summary: "Write every todo as JSON Lines", load: load(() => import("./commands/export")) },
  import: { synopsis: "", summary: "Create todos from JSON Lines", load: load(() => import("./commands/import")) },
  watch: { synopsis: "[--from POS]", summary: "Print changes as they happen", load: load(() => import("./commands/watch")) },
  replay: { synopsis: "", summary: "Rebuild an empty store from another store's event log", load: load(() => import("./commands/replay")) },
  project: { synopsis: "", summary: "Keep a query-side model of the RabbitMQ event stream", load: load(() => import("./commands/project")) },
  stats: { synopsis: "[--by tag|state|day]", summary: "Counts from the projection: by state, tag, day, overdue", load: load(() => import("./commands/stats")) },
  migrate: { synopsis: "", summary: "Copy the original todod's todos from challenge.todo", load: load(() => import("./commands/migrate")) },
  config: { synopsis: "show", summary: "The client's settings and where each comes from", load: load(() => import("./commands/config")) },
  completion: { synopsis: "bash|zsh|fish", summary: "Print a shell completion script", load: load(() => import("./commands/completion")) },
  version: { synopsis: "", summary: "This client's version, and the daemon's", load: load(() => import("./commands/version")) },
  serve: { synopsis: "", summary: "Run the daemon (todod)", load: load(() => import("./commands/serve")) },
  __complete: { synopsis: "", summary: "Values for the completion scripts", hidden: true, load: load(() => import("./commands/complete")) },
};

/** Words people try for a command, from other todo tools. */
const SYNONYMS: Record<string, string> = {
  new: "add", remove: "delete", rm: "delete", del: "delete", show: "read", view: "read", cat: "read", complete: "done",
  finish: "done", edit: "update", modify: "update", set: "update", find: "search", grep: "search", begin: "start",
};

function canonicalName(word: string): string | undefined {
  if (word in COMMANDS) return word;
  return Object.keys(COMMANDS).find((name) => COMMANDS[name]!.aliases?.includes(word));
}

export function overview(width = helpWidth()): string {
  const visible = Object.entries(COMMANDS).filter(([, e]) => !e.hidden);
  const row = ([name, e]: [string, Entry]): [string, string] => [[name, ...(e.aliases ?? [])].join(", ") + (e.synopsis ? ` ${e.synopsis}` : ""), e.summary];
  return [
    "Usage: todo <command> [arguments] [flags]",
    "",
    ...paragraphs("Todos from the command line, kept by a daemon (todod, `todo serve`).", width),
    "",
    "Everyday:",
    ...columns(visible.filter(([, e]) => e.everyday).map(row), width),
    "",
    "More:",
    ...columns(visible.filter(([, e]) => !e.everyday).map(row), width),
    "",
    ...paragraphs(
      "An ID may be any unique prefix of 4 or more characters. `todo <command> --help` lists a command's flags and examples; `todo --version` prints the version.",
      width,
    ),
  ]
    .map((l) => l.trimEnd())
    .join("\n");
}

const resolve = async <T>(value: Resolvable<T> | undefined): Promise<T | undefined> => (typeof value === "function" ? await (value as () => T | Promise<T>)() : await value);

export interface CatalogEntry {
  name: string;
  aliases: string[];
  summary: string;
  args: ArgsDef;
  /** For a command that groups others (config): theirs, by name. */
  subCommands: Record<string, ArgsDef>;
}

/** Every listed command with its arguments, for the completion scripts (this loads every command). */
export async function catalog(): Promise<CatalogEntry[]> {
  const entries: CatalogEntry[] = [];
  for (const [name, entry] of Object.entries(COMMANDS)) {
    if (entry.hidden) continue;
    const command = await entry.load();
    const subCommands: Record<string, ArgsDef> = {};
    for (const [subName, sub] of Object.entries((await resolve(command.subCommands)) ?? {})) subCommands[subName] = (await resolve((await resolve(sub))?.args)) ?? {};
    entries.push({ name, aliases: entry.aliases ?? [], summary: entry.summary, args: (await resolve(command.args)) ?? {}, subCommands });
  }
  return entries;
}

const asksForHelp = (argv: string[]) => {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h");
};

async function dispatch(argv: string[]): Promise<void> {
  const [word, ...rest] = argv;
  if (word === "--version" || word === "-v") {
    if (rest.length) throw new CliError(`${word} takes nothing else; for the daemon's version too: todo version`, 2);
    return console.log(versionLine());
  }
  if (word === undefined || word === "--help" || word === "-h") return console.log(overview());
  if (word === "help") return dispatch(rest.length ? [...rest, "--help"] : []);
  if (word.startsWith("-")) {
    const command = rest.find((w) => canonicalName(w)) ?? "<command>";
    throw new CliError(`unknown flag ${word} before the command: flags go after it, as in todo ${command} ${word} (see todo --help)`, 2);
  }
  const name = canonicalName(word);
  if (!name) {
    const suggestion = SYNONYMS[word.toLowerCase()] ?? closest(word, Object.keys(COMMANDS).filter((n) => !COMMANDS[n]!.hidden))[0];
    throw new CliError(`unknown command "${word}"${didYouMean(suggestion ? [suggestion] : [])} (see todo --help)`, 2);
  }
  let command = await COMMANDS[name]!.load();
  let path = `todo ${name}`;
  let args = rest;
  const aliases = COMMANDS[name]!.aliases;
  // Commands that group others (todo config show): the next word names one.
  for (let subCommands = await resolve(command.subCommands); subCommands; subCommands = await resolve(command.subCommands)) {
    const [sub, ...more] = args;
    if (sub === undefined || sub === "--help" || sub === "-h") {
      const list: [string, string][] = [];
      for (const [subName, def] of Object.entries(subCommands)) list.push([subName, ((await resolve((await resolve(def))?.meta))?.description ?? "").split("\n")[0]!]);
      const meta = await resolve(command.meta);
      console.log(commandHelp({ path, description: meta?.description, args: {}, subCommands: list }));
      return;
    }
    if (!(sub in subCommands)) throw new CliError(`unknown command "${path} ${sub}"${didYouMean(closest(sub, Object.keys(subCommands)))} (see ${path} --help)`, 2);
    command = (await resolve(subCommands[sub]))!;
    path += ` ${sub}`;
    args = more;
  }
  const defs: ArgsDef = (await resolve(command.args)) ?? {};
  if (asksForHelp(args)) {
    const meta = await resolve(command.meta);
    console.log(commandHelp({ path, description: meta?.description, aliases: path.split(" ").length === 2 ? aliases : undefined, args: defs }));
    return;
  }
  // The original todod's Go-style flags (-grpc-port=9), which would read as single letters, work too.
  if (name === "serve") args = (await import("./commands/serve")).serveArgs(args);
  // Errors name the command as it was typed (todo create, not todo add).
  const parsed = parseCommandLine([word, ...path.split(" ").slice(2)].join(" "), defs, args);
  await command.run?.({ args: parsed, rawArgs: args, cmd: command });
}

/** Runs the command line; failures print one line on stderr and exit non-zero (2 for bad input, as for a refused setting). */
export async function run(argv: string[]): Promise<void> {
  try {
    await dispatch(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // One line, whatever a daemon or a library put in the message.
    writeStderr(`todo: ${inert(message.replace(/\x1b\[[0-9;]*m/g, ""))}`);
    process.exit(error instanceof CliError || error instanceof ConfigError ? error.exitCode : 1);
  }
}
