// The daemon's configuration: one table of settings, each from a flag or else an environment variable
// (12-factor), else a default. `todo serve --help` and the README list the same table.
import { EVENT_FORMATS, type EventFormat } from "../api/event-message";
import { redactUrl } from "../store/mongo/redact";
import { defaultDataDir } from "./data-dir";
import { LOG_LEVELS, type LogFormat, type LogLevel } from "./logger";

export interface ServeConfig {
  host: string;
  grpcPort: number;
  httpPort: number;
  dataDir: string;
  mongoUrl?: string;
  mongoDb?: string;
  logLevel: LogLevel;
  logFormat: LogFormat;
  maxConcurrentStreams: number;
  drainSeconds: number;
  /** The event log's relay to a RabbitMQ stream; off without a URL. */
  events?: { url: string; stream: string; format: EventFormat };
}

/** Each setting: its flag (citty arg name), environment variable, description and default. */
export const SETTINGS = {
  host: { env: "HOST", description: "Address the gRPC and HTTP servers bind", default: "0.0.0.0" },
  "grpc-port": { env: "GRPC_PORT", description: "gRPC port", default: "8080" },
  "http-port": { env: "HTTP_PORT", description: "HTTP port for /metrics, /healthz and /readyz", default: "8081" },
  "data-dir": { env: "TODO_DATA_DIR", description: "Directory of the embedded SQLite store", default: "$XDG_DATA_HOME/todo or ~/.local/share/todo" },
  "mongo-url": { env: "MONGO_URL", description: "Store todos in MongoDB at this URL instead of the embedded store", default: "" },
  "mongo-db": { env: "MONGO_DB", description: "MongoDB database, when the URL names none", default: "todo" },
  "log-level": { env: "LOG_LEVEL", description: `One of ${LOG_LEVELS.join(", ")} (or the original's warning, fatal, panic)`, default: "info" },
  "log-format": { env: "LOG_FORMAT", description: "json, or pretty for people (default: pretty on a terminal, else json)", default: "json" },
  "max-concurrent-streams": { env: "GRPC_MAX_CONCURRENT_STREAMS", description: "Concurrent calls per connection; more wait", default: "500" },
  "drain-seconds": { env: "DRAIN_SECONDS", description: "On SIGTERM, how long in-flight calls may finish", default: "10" },
  "events-url": { env: "EVENTS_URL", description: "Publish the event log to a RabbitMQ stream at this amqp:// URL", default: "" },
  "events-stream": { env: "EVENTS_STREAM", description: "The RabbitMQ stream (queue) the events go to", default: "todo.events" },
  "events-format": { env: "EVENTS_FORMAT", description: "protobuf (todo.v1.TodoEvent) or json (its proto3 JSON)", default: "protobuf" },
} as const;

export type SettingName = keyof typeof SETTINGS;

export class ConfigError extends Error {}

/**
 * The original todod's level names (logrus), so its settings keep working: `warning` is `warn`; `fatal`
 * and `panic` log only what stops the daemon in logrus, and todo serve logs nothing at those levels (a
 * failure to start is its one line on stderr), so they log errors, as `error` does. Like logrus, any case.
 */
const ORIGINAL_LOG_LEVELS: Record<string, LogLevel> = { warning: "warn", fatal: "error", panic: "error" };

function logLevel(value: string): LogLevel {
  const name = value.toLowerCase();
  const level = ORIGINAL_LOG_LEVELS[name] ?? name;
  if (!LOG_LEVELS.includes(level as LogLevel)) throw new ConfigError(`--log-level / LOG_LEVEL: "${value}" is not one of ${LOG_LEVELS.join(", ")}`);
  return level as LogLevel;
}

/**
 * `todo serve`'s arguments with the original's Go-style single-dash flags (`-grpc-port=9`, `-mongo-url
 * URL`) spelt with two dashes and their value joined (`--grpc-port=9`), as the strict command-line
 * parser wants them; it would read `-grpc-port` as a flag it does not know. As in Go, the argument
 * after a setting's flag is its value, as it is. Anything else (a flag that is not a setting, a stray
 * word) is passed on unchanged for the parser to refuse, naming it: a setting the daemon silently
 * ignored would be worse.
 */
export function serveArguments(rawArgs: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === "--") {
      args.push(...rawArgs.slice(i));
      break;
    }
    const flag = /^--?([^-=][^=]*)(=.*)?$/.exec(arg);
    if (!flag || !(flag[1]! in SETTINGS)) {
      args.push(arg);
      continue;
    }
    const [, name, inline] = flag;
    const value = inline === undefined ? rawArgs[++i] : inline.slice(1);
    args.push(value === undefined ? `--${name}` : `--${name}=${value}`); // without a value, the parser says it needs one
  }
  return args;
}

function port(name: SettingName, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`--${name} / ${SETTINGS[name].env}: "${value}" is not a port (0 to 65535)`);
  return n;
}

function positive(name: SettingName, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ConfigError(`--${name} / ${SETTINGS[name].env}: "${value}" must be a whole number from 1 to ${max}`);
  return n;
}

export { defaultDataDir };

/** The relay's settings, checked at start so a mistake is one line, not a retry loop. */
function eventsSettings(url: string | undefined, stream: string, format: string): ServeConfig["events"] {
  if (!EVENT_FORMATS.includes(format as EventFormat)) throw new ConfigError(`--events-format / EVENTS_FORMAT: "${format.slice(0, 40)}" is not one of ${EVENT_FORMATS.join(", ")}`);
  if (!stream || Buffer.byteLength(stream) > 255 || stream.startsWith("amq."))
    throw new ConfigError(`--events-stream / EVENTS_STREAM: "${stream.slice(0, 40)}" must be 1 to 255 bytes and not start with "amq." (reserved by RabbitMQ)`);
  if (!url) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== "amqp:" && parsed.protocol !== "amqps:") || !parsed.hostname)
    throw new ConfigError(`--events-url / EVENTS_URL: "${redactUrl(url).slice(0, 200)}" is not an amqp:// or amqps:// URL with a host (e.g. amqp://user:password@rabbitmq:5672)`);
  return { url, stream, format: format as EventFormat };
}

/** Flags win over the environment; the environment over defaults. */
export function resolveConfig(flags: Partial<Record<SettingName, string>>, env: NodeJS.ProcessEnv, isTTY: boolean): ServeConfig {
  const get = (name: SettingName): string | undefined => flags[name] ?? (env[SETTINGS[name].env] || undefined);
  const level = logLevel(get("log-level") ?? "info");
  const logFormat = (get("log-format") ?? (isTTY ? "pretty" : "json")) as LogFormat;
  if (logFormat !== "json" && logFormat !== "pretty") throw new ConfigError(`--log-format / LOG_FORMAT: "${logFormat}" is not json or pretty`);
  return {
    host: get("host") ?? "0.0.0.0",
    grpcPort: port("grpc-port", get("grpc-port") ?? "8080"),
    httpPort: port("http-port", get("http-port") ?? "8081"),
    dataDir: get("data-dir") ?? defaultDataDir(env),
    mongoUrl: get("mongo-url"),
    mongoDb: get("mongo-db"),
    logLevel: level,
    logFormat,
    maxConcurrentStreams: positive("max-concurrent-streams", get("max-concurrent-streams") ?? "500", 10_000),
    drainSeconds: positive("drain-seconds", get("drain-seconds") ?? "10", 3600),
    events: eventsSettings(get("events-url"), get("events-stream") ?? "todo.events", get("events-format") ?? "protobuf"),
  };
}
