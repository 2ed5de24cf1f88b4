// A parser per kind of setting, shared by every process, so each accepts the same spellings: a port is a
// port, a log level takes the original todod's aliases, an AMQP URL needs a host, wherever it is read.
// Each parser takes what was written (a flag's or variable's text, or a config file's TOML value) and
// returns the value, or throws Refused saying what is accepted; the table (table.ts) names where it was set.
import { redactUrl } from "../secrets/redact";

/** What a parser says of a value it refuses, after the value: `is not a port (0 to 65535)`. */
export class Refused extends Error {}

export type Written = string | number | boolean;

export interface Field<T> {
  /** How --help shows the value: `<port>`. */
  hint: string;
  /** A boolean flag is true alone (`--tls`); a file is relative to the config file that names it. */
  kind?: "boolean" | "file";
  parse(value: Written): T;
  /** The value as an error may show it (a URL's password hidden). */
  shown?(text: string): string;
  /** A secret: an error never shows it. */
  hidden?: true;
}

const text = (value: Written): string => {
  if (typeof value !== "string" || value === "") throw new Refused("is not a non-empty string");
  return value;
};

/** Text that means itself: a path, a name, a collection. */
export const nonEmpty = (hint: string, kind?: "file"): Field<string> => ({ hint, kind, parse: text });

/** A token: never shown, even in an error. */
export const secretText = (hint: string): Field<string> => ({ hint, parse: text, hidden: true });

export const port: Field<number> = {
  hint: "port",
  parse(value) {
    const n = typeof value === "number" ? value : /^\d{1,5}$/.test(String(value)) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Refused("is not a port (0 to 65535)");
    return n;
  },
};

export const wholeNumber = (hint: string, min: number, max: number): Field<number> => ({
  hint,
  parse(value) {
    const n = typeof value === "number" ? value : /^\d{1,16}$/.test(String(value)) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new Refused(`must be a whole number from ${min} to ${max}`);
    return n;
  },
});

/** A day: far beyond any call, well within the 2^31 ms a timer can wait. */
export const MAX_TIMEOUT_SECONDS = 86_400;

/** A timeout in seconds, fractions allowed. A longer one than `max` overflows the timers it is kept with. */
export const seconds = (max = MAX_TIMEOUT_SECONDS): Field<number> => ({
  hint: "seconds",
  parse(value) {
    const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (!(n > 0) || !Number.isFinite(n)) throw new Refused("is not a positive number of seconds");
    if (n > max) throw new Refused(`is more than ${max} seconds${max === MAX_TIMEOUT_SECONDS ? " (a day)" : ""}`);
    return n;
  },
});

export const boolean: Field<boolean> = {
  hint: "bool",
  kind: "boolean",
  parse(value) {
    if (typeof value === "boolean") return value;
    if (typeof value === "string" && /^(true|1)$/i.test(value)) return true;
    if (typeof value === "string" && /^(false|0)$/i.test(value)) return false;
    throw new Refused("is not true or false");
  },
};

export const oneOf = <T extends string>(hint: string, options: readonly T[]): Field<T> => ({
  hint,
  parse(value) {
    if (!options.includes(value as T)) throw new Refused(`is not one of ${options.join(", ")}`);
    return value as T;
  },
});

/**
 * Web origins a browser may call from: `*`, or scheme://host[:port] entries, comma-separated, each as a
 * browser sends it in Origin (no path, no trailing slash).
 */
export const webOrigins: Field<string[]> = {
  hint: "origins",
  parse(value) {
    const entries = text(value)
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");
    for (const entry of entries)
      if (entry !== "*" && !/^https?:\/\/[^/\s]+$/.test(entry)) throw new Refused(`has ${JSON.stringify(entry)}, which is not an origin such as https://todo.example.com (scheme and host, no path) or *`);
    if (entries.length === 0) throw new Refused("names no origin");
    return entries;
  },
};

export const LOG_LEVELS = ["silent", "error", "warn", "info", "debug", "trace"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = "json" | "pretty";

/**
 * The original todod's level names (logrus), so its settings keep working: `warning` is `warn`; `fatal`
 * and `panic` log only what stops the daemon in logrus, and todo logs nothing at those levels (a failure
 * to start is its one line on stderr), so they log errors, as `error` does. Like logrus, any case.
 */
const ORIGINAL_LOG_LEVELS: Record<string, LogLevel> = { warning: "warn", fatal: "error", panic: "error" };

export const logLevel: Field<LogLevel> = {
  hint: "level",
  parse(value) {
    const name = String(value).toLowerCase();
    const level = ORIGINAL_LOG_LEVELS[name] ?? name;
    if (!LOG_LEVELS.includes(level as LogLevel)) throw new Refused(`is not one of ${LOG_LEVELS.join(", ")}`);
    return level as LogLevel;
  },
};

export const logFormat: Field<LogFormat> = {
  hint: "format",
  parse(value) {
    if (value !== "json" && value !== "pretty") throw new Refused("is not json or pretty");
    return value;
  },
};

export const EVENT_FORMATS = ["protobuf", "json"] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

/** RabbitMQ's URL, with a host: `amqp://x` alone would only fail later, in a retry loop. */
export const amqpUrl: Field<string> = {
  hint: "url",
  shown: redactUrl,
  parse(value) {
    const url = text(value);
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      // refused below
    }
    if (!parsed || (parsed.protocol !== "amqp:" && parsed.protocol !== "amqps:") || !parsed.hostname)
      throw new Refused("is not an amqp:// or amqps:// URL with a host (e.g. amqp://user:password@rabbitmq:5672)");
    return url;
  },
};

/** A MongoDB connection string; the driver checks the rest when it connects. */
export const mongoUrl: Field<string> = {
  hint: "url",
  shown: redactUrl,
  parse(value) {
    const url = text(value);
    if (!/^mongodb(\+srv)?:\/\/[^/?#]/i.test(url)) throw new Refused("is not a mongodb:// or mongodb+srv:// URL with a host");
    return url;
  },
};

/**
 * MongoDB's rule for database names (no /\\. "$*<>:|? space or NUL, under 64 bytes). A name it refuses
 * would let a process start and then fail every call; it is refused before starting.
 */
export const mongoDatabase: Field<string> = {
  hint: "name",
  parse(value) {
    const name = text(value);
    if (/[/\\. "$*<>:|?\0]/.test(name) || Buffer.byteLength(name) >= 64)
      throw new Refused('is not a MongoDB database name (under 64 bytes, none of / \\ . " $ * < > : | ? or spaces)');
    return name;
  },
};

/** A RabbitMQ stream (a queue): 1 to 255 bytes, and not RabbitMQ's own `amq.` names. */
export const streamName: Field<string> = {
  hint: "name",
  parse(value) {
    const name = typeof value === "string" ? value : "";
    if (!name || Buffer.byteLength(name) > 255 || name.startsWith("amq.")) throw new Refused('must be 1 to 255 bytes and not start with "amq." (reserved by RabbitMQ)');
    return name;
  },
};

/** Where the daemon listens, as the client dials it: host:port, an IPv6 host in brackets. */
/** The path of a Unix domain socket address as gRPC names one (unix:/absolute/path, or unix:///absolute/path); undefined for any other address. */
export function unixSocketPath(addr: string): string | undefined {
  const match = /^unix:(?:\/\/(?=\/))?(\/(?!\/)[^\0]*[^\0/])$/.exec(addr);
  return match?.[1];
}

/** host:port, or a Unix socket (unix:/absolute/path). */
export const grpcAddress: Field<string> = {
  hint: "host:port",
  parse(value) {
    const addr = text(value);
    if (addr.startsWith("unix:")) {
      if (unixSocketPath(addr) === undefined) throw new Refused("is not unix:/absolute/path (a Unix socket is named by its absolute path)");
      return addr;
    }
    const match = /^(\[[0-9a-f:.%a-z]+\]|[^\s:[\]/]+):(\d{1,5})$/i.exec(addr);
    // A host alone (`--addr localhost`): the port is what is missing, so say that.
    if (!match && /^(\[[0-9a-f:.%a-z]+\]|[^\s:[\]/]+)$/i.test(addr)) throw new Refused(`has no port: write host:port, e.g. ${addr}:8080`);
    if (!match || Number(match[2]) > 65535) throw new Refused("is not host:port (e.g. localhost:8080 or [::1]:8080)");
    return addr;
  },
};

/** Where a stream starts: first, next, or an offset. */
export const streamOffset: Field<"first" | "next" | number> = {
  hint: "offset",
  parse(value) {
    if (value === "first" || value === "next") return value;
    const n = Number(value);
    if (!/^\d+$/.test(String(value)) || !Number.isSafeInteger(n)) throw new Refused("is not first, next or a stream offset (a whole number from 0)");
    return n;
  },
};
