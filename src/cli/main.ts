// The `todo` command: finds the command in catalog.ts, which imports each only when run, so
// `todo --version`, `todo --help` or `todo read` never load the daemon, the stores or their drivers.
import type { ArgsDef } from "citty";
import { ConfigError, ExitCode } from "../config/error";
import { versionLine } from "../version";
import { canonicalName, COMMANDS, type Entry, resolve, SYNONYMS } from "./catalog";
import { closest, didYouMean, parseCommandLine } from "./command-line";
import { CliError } from "./errors";
import { columns, commandHelp, helpWidth, paragraphs } from "./help";
import { StdoutClosed, writeStderr } from "./terminal";
import { inert } from "./text";

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
      "An ID may be a todo's number (the # column) or any unique prefix of 4 or more characters of its id. `todo <command> --help` lists a command's flags and examples; `todo --version` prints the version.",
      width,
    ),
  ]
    .map((l) => l.trimEnd())
    .join("\n");
}

const asksForHelp = (argv: string[]) => {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h");
};

async function dispatch(argv: string[]): Promise<void> {
  const [word, ...rest] = argv;
  if (word === "--version" || word === "-v") {
    if (rest.length) throw new CliError(`${word} takes nothing else; for the daemon's version too: todo version`, "input");
    return console.log(versionLine());
  }
  if (word === undefined || word === "--help" || word === "-h") return console.log(overview());
  if (word === "help") return dispatch(rest.length ? [...rest, "--help"] : []);
  if (word.startsWith("-")) {
    const command = rest.find((w) => canonicalName(w)) ?? "<command>";
    throw new CliError(`unknown flag ${word} before the command: flags go after it, as in todo ${command} ${word} (see todo --help)`, "input");
  }
  const name = canonicalName(word);
  if (!name) {
    const suggestion = SYNONYMS[word.toLowerCase()] ?? closest(word, Object.keys(COMMANDS).filter((n) => !COMMANDS[n]!.hidden))[0];
    throw new CliError(`unknown command "${word}"${didYouMean(suggestion ? [suggestion] : [])} (see todo --help)`, "input");
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
    if (!(sub in subCommands)) throw new CliError(`unknown command "${path} ${sub}"${didYouMean(closest(sub, Object.keys(subCommands)))} (see ${path} --help)`, "input");
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
    // The reader of stdout has gone (`todo ls | head`): it has what it wanted; stop at once, quietly.
    if (error instanceof StdoutClosed) process.exit(0);
    const message = error instanceof Error ? error.message : String(error);
    // One line, whatever a daemon or a library put in the message.
    writeStderr(`todo: ${inert(message.replace(/\x1b\[[0-9;]*m/g, ""))}`);
    process.exit(error instanceof CliError || error instanceof ConfigError ? error.exitCode : ExitCode.FAILED);
  }
}
