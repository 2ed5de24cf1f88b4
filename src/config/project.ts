// `todo project`'s settings (and the projection file's, which `todo stats` reads too): the same stream,
// log and data directory settings as `todo serve`'s, read by the same parsers.
import { join } from "node:path";
import type { Environment } from "./environment";
import { ConfigError } from "./error";
import { type LogFormat, type LogLevel, nonEmpty, port, streamOffset } from "./fields";
import { dataDir, defaultDataDir, eventsStream, eventsUrl, logFormatSetting, logLevelSetting } from "./shared";
import { type Flags, resolveSettings, type Setting } from "./table";

/** Where the projection file is, for `todo project` (which writes it) and `todo stats` (which reads it). */
export const PROJECTION_FILE_SETTINGS = {
  db: { env: "TODO_PROJECTION_DB", description: "The projection's SQLite file", shownDefault: "projection.db in the data directory", field: nonEmpty("file") },
  "data-dir": { ...dataDir, description: "The data directory, as todo serve's" },
} as const satisfies Record<string, Setting>;

export const PROJECT_SETTINGS = {
  "events-url": { ...eventsUrl, description: "RabbitMQ to consume, amqp://user:password@host:5672" },
  "events-stream": { ...eventsStream, description: "The stream, as todo serve's" },
  ...PROJECTION_FILE_SETTINGS,
  from: {
    description: "Where a new projection starts: first (the whole stream), next (only new events) or an offset (later runs resume from the stored offset)",
    default: "first",
    field: streamOffset,
  },
  "metrics-port": { env: "PROJECTION_METRICS_PORT", description: "Serve /metrics (todo_projection_offset, …), /healthz and /readyz on this port", shownDefault: "none", field: port },
  "log-level": logLevelSetting,
  "log-format": logFormatSetting,
} as const satisfies Record<string, Setting>;

export function projectionPath(flags: Flags<typeof PROJECTION_FILE_SETTINGS>, env: Environment): string {
  const { values } = resolveSettings(PROJECTION_FILE_SETTINGS, flags, env);
  return values.db ?? join(values["data-dir"] ?? defaultDataDir(env), "projection.db");
}

export interface ProjectConfig {
  url: string;
  stream: string;
  path: string;
  from: "first" | "next" | number;
  metricsPort?: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

export function resolveProjectConfig(flags: Flags<typeof PROJECT_SETTINGS>, env: Environment, isTTY: boolean): ProjectConfig {
  const { values: v } = resolveSettings(PROJECT_SETTINGS, flags, env);
  if (v["events-url"] === undefined) throw new ConfigError("say which RabbitMQ to consume: --events-url amqp://user:password@host:5672 or EVENTS_URL");
  return {
    url: v["events-url"],
    stream: v["events-stream"],
    path: projectionPath(flags, env),
    from: v.from,
    metricsPort: v["metrics-port"],
    logLevel: v["log-level"],
    logFormat: v["log-format"] ?? (isTTY ? "pretty" : "json"),
  };
}
