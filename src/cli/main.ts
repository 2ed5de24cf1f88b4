// The `todo` command: each subcommand lives in commands/<name>.ts and is imported only when run, so
// `todo --version` or `todo read` never loads the daemon, the stores or their drivers.
import { type CommandDef, defineCommand, runCommand, runMain } from "citty";
import { VERSION, versionLine } from "../version";
import { CliError } from "./errors";

const load = (name: () => Promise<{ default: CommandDef<any> }>) => () => name().then((m) => m.default);
const read = load(() => import("./commands/read"));

const commands = {
  create: load(() => import("./commands/create")),
  read,
  get: read,
  update: load(() => import("./commands/update")),
  delete: load(() => import("./commands/delete")),
  search: load(() => import("./commands/search")),
  export: load(() => import("./commands/export")),
  import: load(() => import("./commands/import")),
  migrate: load(() => import("./commands/migrate")),
  watch: load(() => import("./commands/watch")),
  replay: load(() => import("./commands/replay")),
  serve: load(() => import("./commands/serve")),
  version: load(() => import("./commands/version")),
};

export const main = defineCommand({
  meta: { name: "todo", version: VERSION.version, description: "Todos from the command line, and the daemon (todod) that keeps them" },
  subCommands: commands,
});

/** Runs the command line; failures print one line on stderr and exit non-zero. */
export async function run(rawArgs: string[]): Promise<void> {
  if (rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v")) return console.log(versionLine());
  // citty prints usage; everything else runs here so errors stay one line.
  if (rawArgs.length === 0 || rawArgs.some((a) => a === "--help" || a === "-h")) return runMain(main, { rawArgs });
  try {
    // The original todod's Go-style flags (-grpc-port=9), which citty would misread as letters, work too.
    if (rawArgs[0] === "serve") rawArgs = ["serve", ...(await import("./commands/serve")).serveArgs(rawArgs.slice(1))];
    await runCommand(main, { rawArgs });
  } catch (error) {
    const cliError = error instanceof CliError;
    // citty's own usage errors (unknown command, missing --id) carry a code like E_UNKNOWN_COMMAND.
    const usage = !cliError && typeof (error as { code?: unknown }).code === "string" && String((error as { code: string }).code).startsWith("E_");
    const message = (error as Error).message.replace(/\x1b\[[0-9;]*m/g, "");
    console.error(`todo: ${message}${usage ? " (see todo --help)" : ""}`);
    process.exit(cliError ? (error as CliError).exitCode : usage ? 2 : 1);
  }
}
