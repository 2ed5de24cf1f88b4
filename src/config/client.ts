// The client's settings (where the daemon is and how to reach it): a flag beats the environment, which
// beats the config file ($XDG_CONFIG_HOME/todo/config.toml), which beats the default. Each resolved
// value remembers where it came from, for `todo config show`.
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { type Environment, envValue } from "./environment";
import { ConfigError } from "./error";
import { boolean, grpcAddress, nonEmpty, secretText, seconds } from "./fields";
import { parseSetting, resolveSettings, type Setting, type Sources } from "./table";

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

const file = nonEmpty("file", "file");

/** Each setting's flag (its key, also its name in the config file), environment variable, default and parser. */
export const CLIENT_SETTINGS = {
  addr: { env: "TODO_ADDR", description: "Daemon address", default: "localhost:8080", field: grpcAddress },
  timeout: { env: "TODO_TIMEOUT", description: "Seconds to wait for an answer", default: "10", field: seconds() },
  // TLS, for a daemon behind a TLS-terminating ingress or serving TLS itself (TLS_CERT_FILE).
  tls: { env: "TODO_TLS", description: "Connect with TLS, trusting the system's CAs or --ca", default: "false", field: boolean },
  ca: { env: "TODO_CA", description: "PEM file of the CA to trust for the server's certificate; implies --tls", field: file },
  token: { env: "TODO_TOKEN", description: "The token itself; visible to other users in ps: prefer --token-file or TODO_TOKEN", field: secretText("token") },
  "token-file": { env: "TODO_TOKEN_FILE", description: "File whose first line is the token the daemon asks for", field: file },
  cert: { env: "TODO_CERT", description: "PEM client certificate, for a daemon requiring one (mutual TLS); implies --tls", field: file },
  key: { env: "TODO_KEY", description: "PEM private key of --cert", field: file },
} as const satisfies Record<string, Setting>;

type Name = keyof typeof CLIENT_SETTINGS;

export const CLIENT_SETTING_NAMES = Object.keys(CLIENT_SETTINGS) as Name[];

/** Where a value came from, ranked: a flag beats the environment, which beats the file, which beats the default. */
const rank = (source: string) => (source.startsWith("flag") ? 3 : source.startsWith("env") ? 2 : source.startsWith("file") ? 1 : 0);

/** $XDG_CONFIG_HOME/todo/config.toml, else ~/.config/todo/config.toml (an XDG_CONFIG_HOME that is not absolute is ignored, as the spec says). */
function configPath(env: Environment): string {
  const xdg = envValue("XDG_CONFIG_HOME", env);
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".config"), "todo", "config.toml");
}

/** The closest names to a mistyped one; the CLI's own suggester is passed in, so this module needs none. */
export type Suggest = (typed: string, candidates: readonly string[]) => string;

/**
 * Reads a file with Bun.file, which is native: node:fs would cost every command about a millisecond to
 * load (docs/performance.md). Undefined when there is no such file.
 */
async function readText(path: string): Promise<string | undefined> {
  try {
    return await Bun.file(path).text();
  } catch (e) {
    // ENOTDIR: a part of the path is a file (XDG_CONFIG_HOME/todo is not a directory): no such file
    // either, as node:fs's existsSync said before.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw e;
  }
}

/** The config file's settings, checked; undefined when it does not exist. */
async function readConfigFile(path: string, suggest: Suggest): Promise<Partial<Record<Name, unknown>> | undefined> {
  let text: string | undefined;
  try {
    text = await readText(path);
  } catch (e) {
    throw new ConfigError(`cannot read the config file ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); fix it or set XDG_CONFIG_HOME elsewhere`);
  }
  if (text === undefined) return undefined;
  // Loaded only when there is a file to read.
  const { parse, TomlError } = await import("smol-toml");
  let table: Record<string, unknown>;
  try {
    table = parse(text);
  } catch (e) {
    if (e instanceof TomlError) throw new ConfigError(`${path}:${e.line}:${e.column}: not TOML: ${e.message.split("\n")[0]}`);
    throw e;
  }
  const settings: Partial<Record<Name, unknown>> = {};
  for (const [key, value] of Object.entries(table)) {
    if (!(key in CLIENT_SETTINGS)) throw new ConfigError(`${path}: unknown setting "${key}"${suggest(key, CLIENT_SETTING_NAMES)} (settings: ${CLIENT_SETTING_NAMES.join(", ")})`);
    const setting: Setting = CLIENT_SETTINGS[key as Name];
    const checked = parseSetting(setting, typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : String(value), `${path}: ${key}`);
    // A relative file is relative to the config file, not to wherever todo runs; ~ is the home directory.
    settings[key as Name] =
      setting.field.kind === "file" && typeof checked === "string" ? (checked.startsWith("~/") ? join(homedir(), checked.slice(2)) : resolve(dirname(path), checked)) : checked;
  }
  return settings;
}

/**
 * The token in effect: a token, or a token file's first line, whichever was given with more weight (a
 * flag beats the environment, which beats the config file); both with the same weight is ambiguous.
 */
async function tokenOf(token: string | undefined, tokenSource: string, file: string | undefined, fileSource: string): Promise<string | undefined> {
  if (file === undefined) return token === undefined ? undefined : checkedToken(token, tokenSource);
  if (token !== undefined && rank(tokenSource) === rank(fileSource)) throw new ConfigError(`a token and a token file are both given (${tokenSource}, ${fileSource}); keep one`);
  if (token !== undefined && rank(tokenSource) > rank(fileSource)) return checkedToken(token, tokenSource);
  let text: string;
  try {
    text = await Bun.file(file).text();
  } catch (e) {
    throw new ConfigError(`cannot read the token file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const line = text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "" && !l.startsWith("#"));
  if (line === undefined) throw new ConfigError(`the token file ${file} holds no token; write the token on its first line`);
  return checkedToken(line, `the token file ${file}`);
}

/** A token travels in a header: visible ASCII, no spaces. The message never shows the token. */
function checkedToken(token: string, where: string): string {
  if (!/^[\x21-\x7e]+$/.test(token)) throw new ConfigError(`the token (${where}) has spaces or characters other than visible ASCII; copy it again`);
  return token;
}

/** The connection settings in effect, where each came from, and the config file's path (and whether it exists). */
export async function resolveConnection(
  flags: ConnectionFlags,
  env: Environment,
  suggest: Suggest,
): Promise<{ connection: Connection; sources: Sources<typeof CLIENT_SETTINGS>; file: string; fileExists: boolean; tokenFile?: string }> {
  const path = configPath(env);
  const file = await readConfigFile(path, suggest);
  const { values, sources } = resolveSettings(CLIENT_SETTINGS, flags, env, { path, values: file ?? {} });
  const { cert, key } = values;
  if ((cert === undefined) !== (key === undefined)) throw new ConfigError(`a client certificate needs both --cert and --key (${cert === undefined ? "--cert" : "--key"} is missing)`);
  return {
    connection: {
      addr: values.addr,
      timeout: values.timeout,
      tls: values.tls,
      ca: values.ca,
      insecureSkipVerify: flags["insecure-skip-verify"] === true,
      token: await tokenOf(values.token, sources.token, values["token-file"], sources["token-file"]),
      cert,
      key,
    },
    sources,
    file: path,
    fileExists: file !== undefined,
    tokenFile: values["token-file"],
  };
}
