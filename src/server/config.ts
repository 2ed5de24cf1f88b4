// The daemon's configuration: one table of settings, each from a flag or else an environment variable
// (12-factor), else a default. `todo serve --help` and the README list the same table.
import { isIP } from "node:net";
import { EVENT_FORMATS, type EventFormat } from "../api/event-message";
import { redactUrl } from "../store/mongo/redact";
import type { TokenSource } from "./auth";
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
  maxConnections: number;
  idleSeconds: number;
  drainSeconds: number;
  /** The event log's relay to a RabbitMQ stream; off without a URL. */
  events?: { url: string; stream: string; format: EventFormat };
  /** Bearer tokens; unset: calls need none (unless mutual TLS asks for a client certificate). */
  authTokens?: TokenSource;
  publicReflection: boolean;
  /** TLS on the gRPC port: certificate chain and key (PEM files, re-read on SIGHUP), and the CA of client certificates. */
  tls?: { certFile: string; keyFile: string; clientCaFile?: string };
  insecure: boolean;
}

/**
 * Each setting: its flag (citty arg name), environment variable, description and default. A boolean is
 * a flag alone (`--insecure`) or `=true`/`=false`. A secret has no flag: a command line is visible to
 * every user of the machine (`ps`), so it is read from the environment or a file only.
 */
export const SETTINGS = {
  host: { env: "HOST", description: "Address the gRPC and HTTP servers bind (the container image sets 0.0.0.0)", default: "127.0.0.1" },
  "grpc-port": { env: "GRPC_PORT", description: "gRPC port", default: "8080" },
  "http-port": { env: "HTTP_PORT", description: "HTTP port for /metrics, /healthz and /readyz", default: "8081" },
  "data-dir": { env: "TODO_DATA_DIR", description: "Directory of the embedded SQLite store", default: "$XDG_DATA_HOME/todo or ~/.local/share/todo" },
  "mongo-url": { env: "MONGO_URL", description: "Store todos in MongoDB at this URL instead of the embedded store (its password: prefer the environment, as --mongo-url is visible in ps)", default: "" },
  "mongo-db": { env: "MONGO_DB", description: "MongoDB database, when the URL names none", default: "todo" },
  "log-level": { env: "LOG_LEVEL", description: `One of ${LOG_LEVELS.join(", ")} (or the original's warning, fatal, panic)`, default: "info" },
  "log-format": { env: "LOG_FORMAT", description: "json, or pretty for people (default: pretty on a terminal, else json)", default: "json" },
  "max-concurrent-streams": { env: "GRPC_MAX_CONCURRENT_STREAMS", description: "Concurrent calls per connection; more wait", default: "500" },
  "max-connections": { env: "GRPC_MAX_CONNECTIONS", description: "Open gRPC connections at most; more are closed as they arrive", default: "1000" },
  "idle-seconds": { env: "GRPC_IDLE_SECONDS", description: "A gRPC connection without a call for this long is closed", default: "300" },
  "drain-seconds": { env: "DRAIN_SECONDS", description: "On SIGTERM, how long in-flight calls may finish", default: "10" },
  "events-url": { env: "EVENTS_URL", description: "Publish the event log to a RabbitMQ stream at this amqp:// URL", default: "" },
  "events-stream": { env: "EVENTS_STREAM", description: "The RabbitMQ stream (queue) the events go to", default: "todo.events" },
  "events-format": { env: "EVENTS_FORMAT", description: "protobuf (todo.v1.TodoEvent) or json (its proto3 JSON)", default: "protobuf" },
  "auth-tokens": { env: "TODO_AUTH_TOKENS", description: "Bearer tokens callers must send, comma-separated, each name:token or a token alone (environment only)", default: "", secret: true },
  "auth-tokens-file": { env: "TODO_AUTH_TOKENS_FILE", description: "File of bearer tokens, one name:token (or token) per line, # comments; re-read on SIGHUP", default: "" },
  "public-reflection": { env: "TODO_PUBLIC_REFLECTION", description: "Serve gRPC reflection without a token", default: "false", boolean: true },
  "tls-cert-file": { env: "TLS_CERT_FILE", description: "PEM certificate chain: serve gRPC over TLS (re-read on SIGHUP)", default: "" },
  "tls-key-file": { env: "TLS_KEY_FILE", description: "PEM private key of --tls-cert-file (re-read on SIGHUP)", default: "" },
  "tls-client-ca-file": { env: "TLS_CLIENT_CA_FILE", description: "PEM CA: require client certificates it signed (mutual TLS); a certificate's CN names a caller without a token", default: "" },
  insecure: { env: "TODO_INSECURE", description: "Allow a non-loopback --host without tokens or client certificates: anyone who reaches the port may read and change every todo", default: "false", boolean: true },
} as const satisfies Record<string, { env: string; description: string; default: string; secret?: true; boolean?: true }>;

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
    if ("secret" in SETTINGS[name as SettingName])
      throw new ConfigError(`tokens have no flag, as a command line is visible to every user (ps): set ${SETTINGS[name as SettingName].env} or --auth-tokens-file / TODO_AUTH_TOKENS_FILE`);
    // A boolean flag alone means true, and the next argument is not its value.
    const isBoolean = "boolean" in SETTINGS[name as SettingName];
    const value = inline !== undefined ? inline.slice(1) : isBoolean ? "true" : rawArgs[++i];
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

function boolean(name: SettingName, value: string): boolean {
  if (/^(true|1)$/i.test(value)) return true;
  if (/^(false|0)$/i.test(value)) return false;
  throw new ConfigError(`--${name} / ${SETTINGS[name].env}: "${value}" is not true or false`);
}

/** Whether a bind address reaches only this machine. */
export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host === "[::1]";
}

/**
 * MongoDB's rule for database names (no /\\. "$*<>:|? space or NUL, under 64 bytes). A name it refuses
 * would let the daemon start and then fail every call; it is refused here, before starting.
 */
function mongoDatabase(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/[/\\. "$*<>:|?\0]/.test(value) || Buffer.byteLength(value) >= 64)
    throw new ConfigError(`--mongo-db / MONGO_DB: ${JSON.stringify(value.slice(0, 64))} is not a MongoDB database name (under 64 bytes, none of / \\ . " $ * < > : | ? or spaces)`);
  return value;
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
  const host = get("host") ?? "127.0.0.1";
  const tokensText = env.TODO_AUTH_TOKENS || undefined;
  const tokensFile = get("auth-tokens-file");
  if (tokensText !== undefined && tokensFile !== undefined) throw new ConfigError("TODO_AUTH_TOKENS and --auth-tokens-file / TODO_AUTH_TOKENS_FILE are both set; keep one");
  const authTokens: TokenSource | undefined =
    tokensFile !== undefined ? { variable: "TODO_AUTH_TOKENS_FILE", file: tokensFile } : tokensText !== undefined ? { variable: "TODO_AUTH_TOKENS", text: tokensText } : undefined;
  const [certFile, keyFile, clientCaFile] = [get("tls-cert-file"), get("tls-key-file"), get("tls-client-ca-file")];
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new ConfigError("TLS needs both --tls-cert-file / TLS_CERT_FILE and --tls-key-file / TLS_KEY_FILE; set the missing one");
  if (clientCaFile !== undefined && certFile === undefined) throw new ConfigError("--tls-client-ca-file / TLS_CLIENT_CA_FILE needs TLS: set TLS_CERT_FILE and TLS_KEY_FILE too");
  const insecure = boolean("insecure", get("insecure") ?? "false");
  // Tokens or client certificates say who calls; TLS alone only hides the calls from the network.
  if (!isLoopback(host) && !authTokens && clientCaFile === undefined && !insecure)
    throw new ConfigError(
      `--host ${host} serves beyond this machine, so calls need a credential: set TODO_AUTH_TOKENS_FILE (or TLS_CLIENT_CA_FILE), or --insecure / TODO_INSECURE=true to let anyone who reaches the port read and change every todo`,
    );
  const level = logLevel(get("log-level") ?? "info");
  const logFormat = (get("log-format") ?? (isTTY ? "pretty" : "json")) as LogFormat;
  if (logFormat !== "json" && logFormat !== "pretty") throw new ConfigError(`--log-format / LOG_FORMAT: "${logFormat}" is not json or pretty`);
  return {
    host,
    grpcPort: port("grpc-port", get("grpc-port") ?? "8080"),
    httpPort: port("http-port", get("http-port") ?? "8081"),
    dataDir: get("data-dir") ?? defaultDataDir(env),
    mongoUrl: get("mongo-url"),
    mongoDb: mongoDatabase(get("mongo-db")),
    logLevel: level,
    logFormat,
    maxConcurrentStreams: positive("max-concurrent-streams", get("max-concurrent-streams") ?? "500", 10_000),
    maxConnections: positive("max-connections", get("max-connections") ?? "1000", 1_000_000),
    idleSeconds: positive("idle-seconds", get("idle-seconds") ?? "300", 86_400),
    drainSeconds: positive("drain-seconds", get("drain-seconds") ?? "10", 3600),
    events: eventsSettings(get("events-url"), get("events-stream") ?? "todo.events", get("events-format") ?? "protobuf"),
    authTokens,
    publicReflection: boolean("public-reflection", get("public-reflection") ?? "false"),
    tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile, clientCaFile } : undefined,
    insecure,
  };
}
