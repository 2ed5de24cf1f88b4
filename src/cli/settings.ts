// The client's settings (where the daemon is and how to reach it): a flag beats the environment, which
// beats the config file ($XDG_CONFIG_HOME/todo/config.toml), which beats the default. Each resolved
// value remembers where it came from, for `todo config show`.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { closest, didYouMean } from "./command-line";
import { CliError } from "./errors";

export interface ConnectionFlags {
  addr?: string;
  timeout?: string;
  tls?: boolean;
  ca?: string;
  "insecure-skip-verify"?: boolean;
  token?: string;
  "token-file"?: string;
  cert?: string;
  key?: string;
}

export interface Connection {
  addr: string;
  /** Seconds. */
  timeout: number;
  tls: boolean;
  /** A PEM file; implies TLS. */
  ca?: string;
  insecureSkipVerify: boolean;
  /** Sent as `authorization: Bearer <token>` with every call (from --token, --token-file, TODO_TOKEN… or the config file). */
  token?: string;
  /** PEM client certificate and key, for a daemon that requires them (mutual TLS); they imply TLS. */
  cert?: string;
  key?: string;
}

/** A day: far beyond any call, well within the 2^31 ms a timer can wait. */
const MAX_TIMEOUT_SECONDS = 86_400;

type Name = "addr" | "timeout" | "tls" | "ca" | "token" | "token-file" | "cert" | "key";

/** Where a value came from: "flag --addr", "env TODO_ADDR", "file /home/me/.config/todo/config.toml", "default". */
type Sources = Record<Name, string>;

const SETTINGS: Record<Name, { env: string; kind: "text" | "seconds" | "boolean" | "file" | "secret"; default?: string | number | boolean }> = {
  addr: { env: "TODO_ADDR", kind: "text", default: "localhost:8080" },
  timeout: { env: "TODO_TIMEOUT", kind: "seconds", default: 10 },
  tls: { env: "TODO_TLS", kind: "boolean", default: false },
  ca: { env: "TODO_CA", kind: "file" },
  token: { env: "TODO_TOKEN", kind: "secret" },
  "token-file": { env: "TODO_TOKEN_FILE", kind: "file" },
  cert: { env: "TODO_CERT", kind: "file" },
  key: { env: "TODO_KEY", kind: "file" },
};

/** Where a value came from, ranked: a flag beats the environment, which beats the file, which beats the default. */
const rank = (source: string) => (source.startsWith("flag") ? 3 : source.startsWith("env") ? 2 : source.startsWith("file") ? 1 : 0);

export const SETTING_NAMES = Object.keys(SETTINGS) as Name[];

/** $XDG_CONFIG_HOME/todo/config.toml, else ~/.config/todo/config.toml (an XDG_CONFIG_HOME that is not absolute is ignored, as the spec says). */
function configPath(): string {
  const xdg = process.env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".config"), "todo", "config.toml");
}

/** The value as the setting's kind, or a CliError (exit 2) naming where it was written: "--timeout", "TODO_TLS", "<file>: tls". */
function check(name: Name, value: unknown, where: string): string | number | boolean {
  const { kind } = SETTINGS[name];
  if (kind === "boolean") {
    if (typeof value === "boolean") return value;
    if (typeof value === "string" && /^(true|1)$/i.test(value)) return true;
    if (typeof value === "string" && /^(false|0)$/i.test(value)) return false;
    throw new CliError(`${where} must be true or false, got ${JSON.stringify(value)}`, 2);
  }
  if (kind === "seconds") {
    const seconds = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (!(seconds > 0) || !Number.isFinite(seconds)) throw new CliError(`${where} must be a positive number of seconds, got ${JSON.stringify(value)}`, 2);
    // A longer deadline overflows the timers the call's deadline is kept with, and fails at once.
    if (seconds > MAX_TIMEOUT_SECONDS) throw new CliError(`${where} must be at most ${MAX_TIMEOUT_SECONDS} seconds (a day), got ${JSON.stringify(value)}`, 2);
    return seconds;
  }
  if (typeof value !== "string" || value === "") throw new CliError(`${where} must be a non-empty string, got ${JSON.stringify(value)}`, 2);
  return value;
}

/** The config file's settings, checked; none when it does not exist. */
async function readConfigFile(path: string): Promise<Partial<Record<Name, string | number | boolean>>> {
  if (!existsSync(path)) return {};
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new CliError(`cannot read the config file ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); fix it or set XDG_CONFIG_HOME elsewhere`, 2);
  }
  // Loaded only when there is a file to read.
  const { parse, TomlError } = await import("smol-toml");
  let table: Record<string, unknown>;
  try {
    table = parse(text);
  } catch (e) {
    if (e instanceof TomlError) throw new CliError(`${path}:${e.line}:${e.column}: not TOML: ${e.message.split("\n")[0]}`, 2);
    throw e;
  }
  const settings: Partial<Record<Name, string | number | boolean>> = {};
  for (const [key, value] of Object.entries(table)) {
    if (!(key in SETTINGS))
      throw new CliError(`${path}: unknown setting "${key}"${didYouMean(closest(key, SETTING_NAMES))} (settings: ${SETTING_NAMES.join(", ")})`, 2);
    const checked = check(key as Name, value, `${path}: ${key}`);
    // A relative file is relative to the config file, not to wherever todo runs; ~ is the home directory.
    settings[key as Name] =
      SETTINGS[key as Name].kind === "file" && typeof checked === "string"
        ? checked.startsWith("~/")
          ? join(homedir(), checked.slice(2))
          : resolve(dirname(path), checked)
        : checked;
  }
  return settings;
}

/**
 * The token in effect: a token, or a token file's first line, whichever was given with more weight (a
 * flag beats the environment, which beats the config file); both with the same weight is ambiguous.
 */
function tokenOf(token: string | undefined, tokenSource: string, file: string | undefined, fileSource: string): string | undefined {
  if (file === undefined) return token === undefined ? undefined : checkedToken(token, tokenSource);
  if (token !== undefined && rank(tokenSource) === rank(fileSource))
    throw new CliError(`a token and a token file are both given (${tokenSource}, ${fileSource}); keep one`, 2);
  if (token !== undefined && rank(tokenSource) > rank(fileSource)) return checkedToken(token, tokenSource);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(`cannot read the token file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 2);
  }
  const line = text.split("\n").map((l) => l.trim()).find((l) => l !== "" && !l.startsWith("#"));
  if (line === undefined) throw new CliError(`the token file ${file} holds no token; write the token on its first line`, 2);
  return checkedToken(line, `the token file ${file}`);
}

/** A token travels in a header: visible ASCII, no spaces. The message never shows the token. */
function checkedToken(token: string, where: string): string {
  if (!/^[\x21-\x7e]+$/.test(token)) throw new CliError(`the token (${where}) has spaces or characters other than visible ASCII; copy it again`, 2);
  return token;
}

/** The connection settings in effect, where each came from, and the config file's path (and whether it exists). */
export async function resolveConnection(
  flags: ConnectionFlags,
): Promise<{ connection: Connection; sources: Sources; file: string; fileExists: boolean; tokenFile?: string }> {
  const file = configPath();
  const fromFile = await readConfigFile(file);
  const values: Partial<Record<Name, string | number | boolean>> = {};
  const sources = {} as Sources;
  for (const name of SETTING_NAMES) {
    const setting = SETTINGS[name];
    const flag = flags[name];
    const env = process.env[setting.env];
    if (flag !== undefined) [values[name], sources[name]] = [check(name, flag, `--${name}`), `flag --${name}`];
    else if (env !== undefined && env !== "") [values[name], sources[name]] = [check(name, env, setting.env), `env ${setting.env}`];
    else if (fromFile[name] !== undefined) [values[name], sources[name]] = [fromFile[name], `file ${file}`];
    else [values[name], sources[name]] = [setting.default, "default"];
  }
  const [cert, key] = [values.cert as string | undefined, values.key as string | undefined];
  if ((cert === undefined) !== (key === undefined)) throw new CliError(`a client certificate needs both --cert and --key (${cert === undefined ? "--cert" : "--key"} is missing)`, 2);
  return {
    connection: {
      addr: values.addr as string,
      timeout: values.timeout as number,
      tls: values.tls as boolean,
      ca: values.ca as string | undefined,
      insecureSkipVerify: flags["insecure-skip-verify"] === true,
      token: tokenOf(values.token as string | undefined, sources.token, values["token-file"] as string | undefined, sources["token-file"]),
      cert,
      key,
    },
    sources,
    file,
    fileExists: existsSync(file),
    tokenFile: values["token-file"] as string | undefined,
  };
}
