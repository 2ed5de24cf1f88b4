// Settings more than one process reads, declared once: the data directory, the log, the event stream and
// the MongoDB database, as `todo serve`, `todo project`, `todo stats` and the admin commands take them.
import { homedir } from "node:os";
import { join } from "node:path";
import { type Environment, envValue } from "./environment";
import { amqpUrl, logFormat, logLevel, mongoDatabase, mongoUrl, nonEmpty, streamName } from "./fields";
import type { Setting } from "./table";

/** The default data directory: $XDG_DATA_HOME/todo, else ~/.local/share/todo. */
export function defaultDataDir(env: Environment): string {
  return join(envValue("XDG_DATA_HOME", env) ?? join(homedir(), ".local/share"), "todo");
}

export const DEFAULT_STREAM = "todo.events";

export const dataDir = {
  env: "TODO_DATA_DIR",
  description: "Directory of the embedded SQLite store",
  shownDefault: "$XDG_DATA_HOME/todo or ~/.local/share/todo",
  field: nonEmpty("dir"),
} as const satisfies Setting<string>;

export const logLevelSetting = {
  env: "LOG_LEVEL",
  description: "One of silent, error, warn, info, debug, trace (or the original's warning, fatal, panic)",
  default: "info",
  field: logLevel,
} as const satisfies Setting;

export const logFormatSetting = {
  env: "LOG_FORMAT",
  description: "json, or pretty for people",
  shownDefault: "pretty on a terminal, else json",
  field: logFormat,
} as const satisfies Setting;

export const eventsUrl = {
  env: "EVENTS_URL",
  description: "RabbitMQ at this amqp:// URL, e.g. amqp://user:password@host:5672",
  field: amqpUrl,
} as const satisfies Setting;

export const eventsStream = {
  env: "EVENTS_STREAM",
  description: "The RabbitMQ stream (queue) of the events",
  default: DEFAULT_STREAM,
  field: streamName,
} as const satisfies Setting;

export const mongoUrlSetting = {
  env: "MONGO_URL",
  description: "The MongoDB at this URL (its password: prefer the environment, as a flag is visible in ps)",
  field: mongoUrl,
} as const satisfies Setting;

export const mongoDb = {
  env: "MONGO_DB",
  description: "MongoDB database, when the URL names none",
  shownDefault: "todo",
  field: mongoDatabase,
} as const satisfies Setting;
