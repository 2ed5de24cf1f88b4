// A process's settings, declared as a table: each setting's flag (its key), environment variable,
// default, description and parser. A flag beats the environment, which beats the client's config file,
// which beats the default; each value remembers where it came from (for `todo config show`), and a
// refused value is one line naming the flag and variable (or the file and key) and what is accepted.
import type { Environment } from "./environment";
import { ConfigError } from "./error";
import { type Field, Refused, type Written } from "./fields";

export interface Setting<T = unknown> {
  /** The environment variable; none: a flag alone. */
  env?: string;
  description: string;
  /** Parsed as if written, when nothing sets it. */
  default?: string;
  /** How help shows a default computed at start (`pretty on a terminal, else json`), or one that `default` cannot hold. */
  shownDefault?: string;
  field: Field<T>;
  /** No flag: a command line is visible to every user of the machine (`ps`). */
  secret?: true;
}

export type Table = Record<string, Setting>;

type ValueOf<S> = S extends Setting<infer T> ? (S extends { default: string } ? T : T | undefined) : never;
export type Values<T extends Table> = { -readonly [K in keyof T]: ValueOf<T[K]> };
/** Where each value came from: "flag --addr", "env TODO_ADDR", "file /home/me/.config/todo/config.toml", "default". */
export type Sources<T extends Table> = Record<keyof T, string>;

/** How errors name a setting: `--grpc-port / GRPC_PORT`, `--from`, `TODO_AUTH_TOKENS`. */
export function settingLabel(name: string, setting: Setting): string {
  return [setting.secret ? undefined : `--${name}`, setting.env].filter(Boolean).join(" / ");
}

/** What was written, as an error shows it: quoted and cut (it may be any length), a URL's password hidden, a secret not at all. */
function shownValue(field: Field<unknown>, value: Written): string {
  if (field.hidden) return "(hidden)";
  const text = typeof value === "string" ? (field.shown?.(value) ?? value).slice(0, 200) : value;
  return JSON.stringify(text);
}

/** The value as its parser reads it, or a ConfigError naming `where` and what is accepted. */
export function parseSetting<T>(setting: Setting<T>, value: Written, where: string): T {
  try {
    return setting.field.parse(value);
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    throw new ConfigError(`${where}: ${shownValue(setting.field, value)} ${e.message}`);
  }
}

/** What the command line gave: a flag's text, or true/false for a boolean flag. */
export type Flags<T extends Table> = { readonly [K in keyof T]?: Written };

export interface Resolved<T extends Table> {
  values: Values<T>;
  sources: Sources<T>;
}

/**
 * Each setting of `table` from its flag, else its variable (set and not empty), else `file` (a config
 * file's values, already parsed), else its default.
 */
export function resolveSettings<T extends Table>(
  table: T,
  flags: Flags<T>,
  env: Environment,
  file?: { path: string; values: Readonly<Record<string, unknown>> },
): Resolved<T> {
  const values: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const [name, setting] of Object.entries(table)) {
    const flag = setting.secret ? undefined : flags[name as keyof T];
    const variable = setting.env === undefined ? undefined : env[setting.env] || undefined;
    if (flag !== undefined) [values[name], sources[name]] = [parseSetting(setting, flag, settingLabel(name, setting)), `flag --${name}`];
    else if (variable !== undefined) [values[name], sources[name]] = [parseSetting(setting, variable, settingLabel(name, setting)), `env ${setting.env}`];
    else if (file?.values[name] !== undefined) [values[name], sources[name]] = [file.values[name], `file ${file.path}`];
    else [values[name], sources[name]] = [setting.default === undefined ? undefined : parseSetting(setting, setting.default, `the default of ${settingLabel(name, setting)}`), "default"];
  }
  return { values: values as Values<T>, sources: sources as Sources<T> };
}

/** A setting as --help describes it: `gRPC port (env GRPC_PORT, default 8080)`. */
export function describeSetting(setting: Setting, configKey?: string): string {
  const notes = [
    setting.env && `env ${setting.env}`,
    configKey && `config ${configKey}`,
    `default ${setting.shownDefault ?? (setting.default || "unset")}`,
  ].filter(Boolean);
  return `${setting.description} (${notes.join(", ")})`;
}
