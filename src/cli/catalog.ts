// The commands of `todo`: names, aliases, summaries and how to load each. Each command lives in
// commands/<name>.ts and is imported only when run (or when the completion scripts ask for every
// command's arguments), so reading this table loads no command.
import type { ArgsDef, CommandDef, Resolvable } from "citty";
import type { CatalogEntry } from "./commands/completion";

export interface Entry {
  /** The arguments as the overview shows them. */
  synopsis: string;
  summary: string;
  aliases?: string[];
  /** Listed under "Everyday" in the overview. */
  everyday?: boolean;
  /** Not listed: used by the shell completion scripts. */
  hidden?: boolean;
  load: () => Promise<AnyCommand>;
}

/** A command whatever its arguments: main.ts and the catalog read them at run time. */
export type AnyCommand = CommandDef<ArgsDef>;

const load =
  <T extends ArgsDef>(module: () => Promise<{ default: CommandDef<T> }>) =>
  (): Promise<AnyCommand> =>
    module().then((m) => m.default as AnyCommand);

export const COMMANDS: Record<string, Entry> = {
  add: { synopsis: "TITLE… [+tag…]", summary: "Create a todo", aliases: ["create"], everyday: true, load: load(() => import("./commands/add")) },
  list: { synopsis: "[PATTERN] [+tag…]", summary: "The todos not done, next reminder first", aliases: ["ls"], everyday: true, load: load(() => import("./commands/list")) },
  done: { synopsis: "ID…", summary: "Mark todos done (or all a filter selects)", everyday: true, load: load(() => import("./commands/done")) },
  start: { synopsis: "ID…", summary: "Mark todos in progress (or all a filter selects)", everyday: true, load: load(() => import("./commands/start")) },
  search: { synopsis: "[PATTERN] [+tag…]", summary: "Every todo matching the filters, in any state", everyday: true, load: load(() => import("./commands/search")) },
  read: { synopsis: "ID…", summary: "Show todos in full", aliases: ["get"], everyday: true, load: load(() => import("./commands/read")) },
  update: { synopsis: "ID…", summary: "Change fields of todos", everyday: true, load: load(() => import("./commands/update")) },
  delete: { synopsis: "ID…", summary: "Delete todos (or all a filter selects)", everyday: true, load: load(() => import("./commands/delete")) },
  modify: { synopsis: "ID… [+tag] [-tag] [due:TIME] [state:S] [title…]", summary: "Change todos with words, as Taskwarrior's modify", everyday: true, load: load(() => import("./commands/modify")) },
  undo: { synopsis: "[N] [--list]", summary: "Revert your last change (a bulk one whole)", everyday: true, load: load(() => import("./commands/undo")) },
  export: { synopsis: "", summary: "Write every todo as JSON Lines", load: load(() => import("./commands/export")) },
  import: { synopsis: "", summary: "Create todos from JSON Lines", load: load(() => import("./commands/import")) },
  watch: { synopsis: "[--from POS]", summary: "Print changes as they happen", load: load(() => import("./commands/watch")) },
  replay: { synopsis: "", summary: "Rebuild an empty store from another store's event log", load: load(() => import("./commands/replay")) },
  project: { synopsis: "", summary: "Keep a query-side model of the RabbitMQ event stream", load: load(() => import("./commands/project")) },
  stats: { synopsis: "[--by tag|state|day]", summary: "Counts from the projection: by state, tag, day, overdue", load: load(() => import("./commands/stats")) },
  migrate: { synopsis: "", summary: "Copy the original todod's todos from challenge.todo", load: load(() => import("./commands/migrate")) },
  config: { synopsis: "show", summary: "The client's settings and where each comes from", load: load(() => import("./commands/config")) },
  completion: { synopsis: "bash|zsh|fish", summary: "Print a shell completion script", load: () => import("./commands/completion").then((m) => m.completionCommand(catalog) as AnyCommand) },
  version: { synopsis: "", summary: "This client's version, and the daemon's", load: load(() => import("./commands/version")) },
  daemon: { synopsis: "status|stop|logs", summary: "The local daemon todo starts for you", load: load(() => import("./commands/daemon")) },
  serve: { synopsis: "", summary: "Run the daemon (todod)", load: load(() => import("./commands/serve")) },
  __complete: { synopsis: "", summary: "Values for the completion scripts", hidden: true, load: load(() => import("./commands/complete")) },
};

/** Words people try for a command, from other todo tools. */
export const SYNONYMS: Record<string, string> = {
  new: "add", remove: "delete", rm: "delete", del: "delete", show: "read", view: "read", cat: "read", complete: "done",
  finish: "done", edit: "update", set: "update", find: "search", grep: "search", begin: "start",
};

export function canonicalName(word: string): string | undefined {
  if (word in COMMANDS) return word;
  return Object.keys(COMMANDS).find((name) => COMMANDS[name]!.aliases?.includes(word));
}

export const resolve = async <T>(value: Resolvable<T> | undefined): Promise<T | undefined> => (typeof value === "function" ? await (value as () => T | Promise<T>)() : await value);

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

