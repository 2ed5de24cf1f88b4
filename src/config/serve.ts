// `todo serve`'s settings (12-factor): each from a flag or else an environment variable, else a default.
// `todo serve --help` and the README list the same table.
import { isIP } from "node:net";
import { resolve } from "node:path";
import type { Environment } from "./environment";
import { ConfigError } from "./error";
import { boolean, webOrigins, EVENT_FORMATS, type EventFormat, type LogFormat, type LogLevel, nonEmpty, oneOf, port, secretText, wholeNumber } from "./fields";
import { dataDir, defaultDataDir, eventsStream, eventsUrl, logFormatSetting, logLevelSetting, mongoDb, mongoUrlSetting } from "./shared";
import { type Flags, resolveSettings, type Setting } from "./table";

/** Where the daemon's bearer tokens come from: fixed (the environment), or a file re-read on reload (SIGHUP). */
export interface TokenSource {
  variable: "TODO_AUTH_TOKENS" | "TODO_AUTH_TOKENS_FILE";
  text?: string;
  file?: string;
}

export interface ServeConfig {
  host: string;
  grpcPort: number;
  /** gRPC on this Unix socket instead of host:grpcPort. */
  grpcSocket?: string;
  httpPort: number;
  /** The HTTP side on this Unix socket instead of host:httpPort. */
  httpSocket?: string;
  /** The web API (REST, Connect, gRPC-Web) on the HTTP port. */
  httpApi: boolean;
  /** The web page at / (with httpApi). */
  webPage: boolean;
  /** The HTTP port over TLS, with the gRPC port's certificate. */
  httpTls: boolean;
  /** Origins allowed cross-origin calls ("*": any). */
  corsOrigins: string[];
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
  /** Run for each reminder fired (src/events/reminder-command.ts); `desktop`: the desktop's notifier. */
  reminderCommand?: string;
}

const file = nonEmpty("file", "file");

/**
 * Each setting's flag (its key), environment variable, description, default and parser. A boolean is a
 * flag alone (`--insecure`) or `=true`/`=false`. A secret has no flag: a command line is visible to every
 * user of the machine (`ps`), so it is read from the environment or a file only.
 */
export const SERVE_SETTINGS = {
  host: { env: "HOST", description: "Address the gRPC and HTTP servers bind (the container image sets 0.0.0.0)", default: "127.0.0.1", field: nonEmpty("address") },
  "grpc-port": { env: "GRPC_PORT", description: "gRPC port", default: "8080", field: port },
  "grpc-socket": {
    env: "GRPC_SOCKET",
    description: "Serve gRPC on this Unix socket (created 0600; one nothing answers at is replaced) instead of --host and --grpc-port",
    field: nonEmpty("path", "file"),
  },
  "http-port": { env: "HTTP_PORT", description: "HTTP port for /metrics, /healthz and /readyz, and the web API and page", default: "8081", field: port },
  "http-socket": {
    env: "HTTP_SOCKET",
    description: "Serve the HTTP side (probes, /metrics, the web API) on this Unix socket (created 0600, in plain text; one nothing answers at is replaced) instead of --host and --http-port",
    field: nonEmpty("path", "file"),
  },
  "http-api": {
    env: "TODO_HTTP_API",
    description: "Serve the web API on the HTTP port: REST (/v1/todos), Connect and gRPC-Web, /openapi.json; same credentials as gRPC",
    default: "true",
    field: boolean,
  },
  "web-page": { env: "TODO_WEB_PAGE", description: "Serve the web page at / of the HTTP port (with --http-api)", default: "true", field: boolean },
  "http-tls": { env: "HTTP_TLS", description: "Serve the HTTP port over TLS too, with --tls-cert-file (probes and Prometheus then use https)", default: "false", field: boolean },
  "cors-origins": { env: "TODO_CORS_ORIGINS", description: "Origins whose pages may call the web API from a browser, comma-separated (https://app.example.com), or *", field: webOrigins },
  "data-dir": dataDir,
  "mongo-url": { ...mongoUrlSetting, description: "Store todos in MongoDB at this URL instead of the embedded store (its password: prefer the environment, as --mongo-url is visible in ps)" },
  "mongo-db": mongoDb,
  "log-level": logLevelSetting,
  "log-format": logFormatSetting,
  "max-concurrent-streams": { env: "GRPC_MAX_CONCURRENT_STREAMS", description: "Concurrent calls per connection; more wait", default: "500", field: wholeNumber("count", 1, 10_000) },
  "max-connections": { env: "GRPC_MAX_CONNECTIONS", description: "Open gRPC connections at most; more are closed as they arrive", default: "1000", field: wholeNumber("count", 1, 1_000_000) },
  "idle-seconds": { env: "GRPC_IDLE_SECONDS", description: "A gRPC connection without a call for this long is closed", default: "300", field: wholeNumber("seconds", 1, 86_400) },
  "drain-seconds": { env: "DRAIN_SECONDS", description: "On SIGTERM, how long in-flight calls may finish", default: "10", field: wholeNumber("seconds", 1, 3600) },
  "events-url": { ...eventsUrl, description: "Publish the event log to a RabbitMQ stream at this amqp:// URL" },
  "events-stream": { ...eventsStream, description: "The RabbitMQ stream (queue) the events go to" },
  "events-format": { env: "EVENTS_FORMAT", description: "protobuf (todo.v1.TodoEvent) or json (its proto3 JSON)", default: "protobuf", field: oneOf("format", EVENT_FORMATS) },
  "auth-tokens": { env: "TODO_AUTH_TOKENS", description: "Bearer tokens callers must send, comma-separated, each name:token or a token alone (environment only)", field: secretText("tokens"), secret: true },
  "auth-tokens-file": { env: "TODO_AUTH_TOKENS_FILE", description: "File of bearer tokens, one name:token (or token) per line, # comments; re-read on SIGHUP", field: file },
  "public-reflection": { env: "TODO_PUBLIC_REFLECTION", description: "Serve gRPC reflection without a token", default: "false", field: boolean },
  "tls-cert-file": { env: "TLS_CERT_FILE", description: "PEM certificate chain: serve gRPC over TLS (re-read on SIGHUP)", field: file },
  "tls-key-file": { env: "TLS_KEY_FILE", description: "PEM private key of --tls-cert-file (re-read on SIGHUP)", field: file },
  "tls-client-ca-file": { env: "TLS_CLIENT_CA_FILE", description: "PEM CA: require client certificates it signed (mutual TLS); a certificate's CN names a caller without a token", field: file },
  "reminder-command": {
    env: "TODO_REMINDER_COMMAND",
    description:
      "Program run (no shell) for each reminder this daemon fires: the title as its argument, the todo in TODO_ID, TODO_TITLE, TODO_DESCRIPTION, TODO_TAGS, TODO_REMINDER; desktop: notify-send or osascript (the default of the daemon todo starts itself)",
    field: nonEmpty("program"),
  },
  insecure: {
    env: "TODO_INSECURE",
    description: "Allow a non-loopback --host without tokens or client certificates: anyone who reaches the port may read and change every todo",
    default: "false",
    field: boolean,
  },
} as const satisfies Record<string, Setting>;

export type ServeSettingName = keyof typeof SERVE_SETTINGS;

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
    if (!flag || !(flag[1]! in SERVE_SETTINGS)) {
      args.push(arg);
      continue;
    }
    const [, name, inline] = flag;
    const setting: Setting = SERVE_SETTINGS[name as ServeSettingName];
    if (setting.secret)
      throw new ConfigError(`tokens have no flag, as a command line is visible to every user (ps): set ${setting.env} or --auth-tokens-file / TODO_AUTH_TOKENS_FILE`);
    // A boolean flag alone means true, and the next argument is not its value.
    const value = inline !== undefined ? inline.slice(1) : setting.field.kind === "boolean" ? "true" : rawArgs[++i];
    args.push(value === undefined ? `--${name}` : `--${name}=${value}`); // without a value, the parser says it needs one
  }
  return args;
}

/** Whether a bind address reaches only this machine. */
export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host === "[::1]";
}

/** Flags win over the environment; the environment over defaults. Settings that cannot work together are refused here, before starting. */
export function resolveConfig(flags: Flags<typeof SERVE_SETTINGS>, env: Environment, isTTY: boolean): ServeConfig {
  const { values: v } = resolveSettings(SERVE_SETTINGS, flags, env);
  const tokensText = v["auth-tokens"];
  const tokensFile = v["auth-tokens-file"];
  if (tokensText !== undefined && tokensFile !== undefined) throw new ConfigError("TODO_AUTH_TOKENS and --auth-tokens-file / TODO_AUTH_TOKENS_FILE are both set; keep one");
  const authTokens: TokenSource | undefined =
    tokensFile !== undefined ? { variable: "TODO_AUTH_TOKENS_FILE", file: tokensFile } : tokensText !== undefined ? { variable: "TODO_AUTH_TOKENS", text: tokensText } : undefined;
  const [certFile, keyFile, clientCaFile] = [v["tls-cert-file"], v["tls-key-file"], v["tls-client-ca-file"]];
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new ConfigError("TLS needs both --tls-cert-file / TLS_CERT_FILE and --tls-key-file / TLS_KEY_FILE; set the missing one");
  if (v["http-tls"] && certFile === undefined) throw new ConfigError("--http-tls / HTTP_TLS needs TLS_CERT_FILE and TLS_KEY_FILE: set them, or serve the HTTP port in the clear");
  if (v["http-tls"] && v["http-socket"] !== undefined)
    throw new ConfigError("--http-tls / HTTP_TLS and --http-socket / HTTP_SOCKET: a Unix socket is served in plain text (only its owner reaches it); unset one");
  if (clientCaFile !== undefined && certFile === undefined) throw new ConfigError("--tls-client-ca-file / TLS_CLIENT_CA_FILE needs TLS: set TLS_CERT_FILE and TLS_KEY_FILE too");
  // Tokens or client certificates say who calls; TLS alone only hides the calls from the network.
  if (!isLoopback(v.host) && !authTokens && clientCaFile === undefined && !v.insecure)
    throw new ConfigError(
      `--host ${v.host} serves beyond this machine, so calls need a credential: set TODO_AUTH_TOKENS_FILE (or TLS_CLIENT_CA_FILE), or --insecure / TODO_INSECURE=true to let anyone who reaches the port read and change every todo`,
    );
  return {
    host: v.host,
    grpcPort: v["grpc-port"],
    grpcSocket: v["grpc-socket"] === undefined ? undefined : resolve(v["grpc-socket"]),
    httpPort: v["http-port"],
    httpSocket: v["http-socket"] === undefined ? undefined : resolve(v["http-socket"]),
    httpApi: v["http-api"],
    webPage: v["web-page"],
    httpTls: v["http-tls"],
    corsOrigins: v["cors-origins"] ?? [],
    dataDir: v["data-dir"] ?? defaultDataDir(env),
    mongoUrl: v["mongo-url"],
    mongoDb: v["mongo-db"],
    logLevel: v["log-level"],
    logFormat: v["log-format"] ?? (isTTY ? "pretty" : "json"),
    maxConcurrentStreams: v["max-concurrent-streams"],
    maxConnections: v["max-connections"],
    idleSeconds: v["idle-seconds"],
    drainSeconds: v["drain-seconds"],
    events: v["events-url"] === undefined ? undefined : { url: v["events-url"], stream: v["events-stream"], format: v["events-format"] },
    authTokens,
    publicReflection: v["public-reflection"],
    tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile, clientCaFile } : undefined,
    insecure: v.insecure,
    reminderCommand: v["reminder-command"],
  };
}
