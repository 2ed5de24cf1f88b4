// Reads a command's arguments strictly. Commands are declared as citty commands (defineCommand, ArgsDef),
// but citty's parser keeps going past what it does not know: an unknown flag, a misspelt one or an
// extra argument was ignored and the command ran anyway. Here each of those is an error (exit 2) naming
// it and, where one is close, the flag that was probably meant.
import type { ArgDef, ArgsDef, ParsedArgs } from "citty";
import { CliError } from "./errors";

/** A positional argument that takes every remaining argument (as `ID…`); it must be the last one. */
export interface Variadic {
  variadic?: boolean;
  /** A word of one dash and several letters (-work) is an argument (a tag to remove), not a flag. */
  tagWords?: boolean;
}

type Def = ArgDef & Variadic;

export const isVariadic = (def: ArgDef) => (def as Def).variadic === true;
export const aliasesOf = (def: ArgDef): string[] => ("alias" in def && def.alias ? (Array.isArray(def.alias) ? def.alias : [def.alias]) : []);

/** How a flag is written: --name for long names, -n for one letter. */
export const dashed = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

/** The original todo-cli's flags (-o/--host, -p/--port, -t duration), so its users learn what replaced them. */
const ORIGINAL_FLAGS: Record<string, [flag: string, hint: string]> = {
  host: ["addr", "--addr host:port"],
  o: ["addr", "--addr host:port"],
  port: ["addr", "--addr host:port"],
  p: ["addr", "--addr host:port"],
  a: ["addr", "--addr host:port"],
  t: ["timeout", "--timeout seconds"],
};

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/**
 * The candidates closest to what was typed: the same but for case or _ for -; those it is a whole part
 * of (port → grpc-port, http-port); one or two edits away (more for long words); those it begins.
 */
export function closest(typed: string, candidates: readonly string[]): string[] {
  const normal = typed.toLowerCase().replace(/_/g, "-");
  const exact = candidates.filter((c) => c.toLowerCase() === normal);
  if (exact.length) return exact;
  const part = normal.length >= 3 ? candidates.filter((c) => c.split("-").includes(normal)) : [];
  if (part.length) return part;
  const limit = normal.length <= 3 ? 1 : normal.length <= 6 ? 2 : 3;
  const scored = candidates.map((c) => ({ c, d: editDistance(normal, c.toLowerCase()) })).filter((x) => x.d <= limit);
  if (scored.length) {
    const best = Math.min(...scored.map((x) => x.d));
    return scored.filter((x) => x.d === best).map((x) => x.c);
  }
  return normal.length >= 4 ? candidates.filter((c) => c.startsWith(normal)) : [];
}

/** " ; did you mean --a or --b?" or "". */
export function didYouMean(options: string[]): string {
  if (options.length === 0) return "";
  const shown = options.slice(0, 3);
  return `; did you mean ${shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(", ")} or ${shown.at(-1)}`}?`;
}

/** A clock time or am/pm: a word that continues a time (`tomorrow 9:00`, `friday 5pm`). */
const TIME_OF_DAY = /^(\d{1,2}([:.]\d{2}){0,2}\s*(am|pm)?|am|pm)$/i;

/**
 * Flags whose value may be written in more than one word, and whether a next word continues it: such a
 * word, left unquoted, would silently become a positional (a title's word, a search pattern).
 */
const CONTINUED: Record<string, (next: string) => boolean> = {
  reminder: (next) => TIME_OF_DAY.test(next),
  "reminder-after": (next) => TIME_OF_DAY.test(next),
  "reminder-before": (next) => TIME_OF_DAY.test(next),
  "order-by": (next) => /^(asc|desc)$/i.test(next),
};

/**
 * Parses `argv` (what follows the command's name) against the command's declared arguments:
 * `--name value`, `--name=value`, `-n value`, `--flag`, `--no-flag`, `--flag=true|false`, positionals,
 * and `--` after which every word is a positional. Everything else is a CliError with exit code 2.
 *
 * The result has citty's shape: each argument by name, defaults applied, every positional in `_`, and
 * in `"--"` how many of them came before `--` (words after it are never read as +tags).
 */
export function parseCommandLine(command: string, defs: ArgsDef, argv: string[]): ParsedArgs {
  const usage = (message: string) => new CliError(`${message} (see todo ${command} --help)`, "input");
  const flags = new Map<string, [string, ArgDef]>();
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") continue;
    flags.set(name, [name, def]);
    for (const alias of aliasesOf(def)) flags.set(alias, [name, def]);
  }
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  let beforeDashDash = -1;

  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") {
      beforeDashDash = positionals.length;
      positionals.push(...argv.slice(i + 1));
      break;
    }
    // A lone "-" (stdin) and negative numbers are values, not flags.
    if (!word.startsWith("-") || word === "-" || /^-\d/.test(word)) {
      positionals.push(word);
      continue;
    }
    const long = word.startsWith("--");
    const eq = word.indexOf("=");
    const name = word.slice(long ? 2 : 1, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : word.slice(eq + 1);
    const written = long ? `--${name}` : `-${name}`;
    let found = (long || name.length === 1) && flags.get(name);
    let negated = false;
    if (!found && long && name.startsWith("no-")) {
      const positive = flags.get(name.slice(3));
      if (positive && positive[1].type === "boolean") (found = positive), (negated = true);
    }
    if (!found && !long && name.length > 1 && Object.values(defs).some((d) => (d as Def).tagWords)) {
      positionals.push(word);
      continue;
    }
    if (!found) {
      // -t is tags to a Taskwarrior or todo.txt hand, the timeout only to the original client's users.
      if (name === "t" && !long && flags.has("tags"))
        throw usage(`unknown flag -t for todo ${command}: tags are --tags a,b or +tag words (the original client's -t, a timeout, is --timeout seconds)`);
      const original = ORIGINAL_FLAGS[name];
      if (original && flags.has(original[0])) throw usage(`unknown flag ${written} for todo ${command}${didYouMean([original[1]])}`);
      const known = [...flags.keys()].filter((k) => k.length > 1);
      throw usage(`unknown flag ${written} for todo ${command}${didYouMean(closest(name, known).map(dashed))}`);
    }
    const [canonical, def] = found;
    if (canonical in values) throw usage(`${written} is given twice; give it once`);
    if (def.type === "boolean") {
      if (inline === undefined) values[canonical] = !negated;
      else if (!negated && (inline === "true" || inline === "false")) values[canonical] = inline === "true";
      else throw usage(`${written} takes no value (or =true, =false), got "${inline}"`);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value === "--") throw usage(`${written} needs a value`);
      if (value.startsWith("--")) throw usage(`${written} needs a value, got the flag ${value} (a value that starts with -- goes as ${written}=${value})`);
      // `--reminder tomorrow 9:00`: the 9:00 would be read as a title word; refused, with what to type.
      const next = argv[i + 1];
      if (next !== undefined && CONTINUED[canonical]?.(next) && Object.values(defs).some((d) => d.type === "positional"))
        throw new CliError(
          `"${next}" after ${written} ${value} would be read as an argument of todo ${command}, not as part of ${written}: write ${written} "${value} ${next}" (or put -- before ${next} if it is an argument)`,
          "input",
        );
    }
    if (def.type === "enum" && def.options?.length && !def.options.includes(value))
      throw usage(`${written}: "${value}" is not one of ${def.options.join(", ")}${didYouMean(closest(value, def.options))}`);
    values[canonical] = value;
  }

  const parsed: Record<string, unknown> = { _: positionals, "--": beforeDashDash < 0 ? positionals.length : beforeDashDash };
  let rest = [...positionals];
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") {
      const label = (def.valueHint ?? name).toUpperCase();
      if (rest.length === 0) {
        if (def.required === true) throw usage(`missing ${label}`);
        if (def.default !== undefined) parsed[name] = def.default;
        continue;
      }
      parsed[name] = rest[0];
      rest = isVariadic(def) ? [] : rest.slice(1);
    } else if (name in values) parsed[name] = values[name];
    else if (def.required === true) throw usage(`missing ${dashed(name)}`);
    else if (def.default !== undefined) parsed[name] = def.default;
  }
  if (rest.length) {
    const takes = Object.values(defs).some((d) => d.type === "positional") ? "" : `: todo ${command} takes no arguments`;
    throw usage(`unexpected argument "${rest[0]}"${takes}`);
  }
  return parsed as ParsedArgs;
}
