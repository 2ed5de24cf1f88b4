// A settings table (src/config) as a command's flags: one per setting but secrets (environment only),
// described with their variable and default, and without citty defaults, so an unset flag falls back
// to the environment (and the config file) when the table is resolved.
import type { ArgsDef } from "citty";
import type { Field } from "../config/fields";
import { describeSetting, type Table } from "../config/table";

type FlagOf<S> = S extends { field: Field<boolean> } ? { type: "boolean"; description: string } : { type: "string"; description: string; valueHint: string };
export type SettingArgs<T extends Table> = { [K in keyof T as T[K] extends { secret: true } ? never : K]: FlagOf<T[K]> };

/** `withConfigKey`: the client's table, whose settings the config file takes too (`config addr`). */
export function settingArgs<T extends Table>(table: T, withConfigKey = false): SettingArgs<T> {
  const args: ArgsDef = {};
  for (const [name, setting] of Object.entries(table)) {
    if (setting.secret) continue;
    const description = describeSetting(setting, withConfigKey ? name : undefined);
    args[name] = setting.field.kind === "boolean" ? { type: "boolean", description } : { type: "string", description, valueHint: setting.field.hint };
  }
  return args as SettingArgs<T>;
}
