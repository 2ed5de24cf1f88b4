// Arguments shared by several commands, defined once.
import type { ArgDef, ArgsDef } from "citty";
import { CLIENT_SETTINGS } from "../config/client";
import type { Variadic } from "./command-line";
import { settingArgs } from "./setting-args";
import { COLOR_MODES } from "./terminal";
import { thousands } from "./text";
import { LIMITS, SHORT_STATES } from "../vocabulary/todo";

/** The limits and states as help text says them, from the vocabulary's numbers and names. */
const count = thousands;
const STATE_CHOICES = `${SHORT_STATES.slice(0, -1).join(", ")} or ${SHORT_STATES.at(-1)}`;

// From the client's table (src/config/client.ts): no defaults here, so an unset flag falls back to the
// environment, then the config file, and `todo config show` tells which one a value came from.
export const connectionArgs = {
  ...settingArgs(CLIENT_SETTINGS, true),
  "insecure-skip-verify": { type: "boolean", description: "TLS without checking the server's certificate or name (tests only: anyone in between can read and change the calls)" },
} as const satisfies ArgsDef;

export const jsonArg = {
  json: { type: "boolean", description: "Print proto3 JSON for scripts (one todo per line) instead of text for people" },
} as const satisfies ArgsDef;

export const colorArg = {
  color: { type: "enum", options: [...COLOR_MODES], description: "Colour the output; auto: on a terminal, unless NO_COLOR is set", valueHint: "when", default: "auto" },
} as const satisfies ArgsDef;

export const todoFieldArgs = {
  title: { type: "string", description: `Title (1 to ${count(LIMITS.titleLength)} characters)`, valueHint: "text" },
  description: { type: "string", description: `Description (up to ${count(LIMITS.descriptionLength)} characters)`, valueHint: "text" },
  state: { type: "string", description: STATE_CHOICES, valueHint: "state" },
  tags: { type: "string", description: 'Comma-separated tags, e.g. job,golang ("" clears them on update)', valueHint: "a,b" },
  reminder: { type: "string", description: 'When to be reminded: tomorrow 9:00, +2h, monday, 2026-12-01 (local midnight), 2026-12-01 09:00, RFC 3339 or unix seconds ("" clears it on update)', valueHint: "time" },
} as const satisfies ArgsDef;

export const etagArg = {
  etag: { type: "string", description: "Fail instead of overwriting a change made since this etag was read" },
} as const satisfies ArgsDef;


/** The todos a command acts on: ids (or unique prefixes) as arguments, or one with --id as the original client wrote it. */
export const idsArgs = {
  ids: { type: "positional", description: "Todo numbers, ids, or unique id prefixes of 4 or more characters", valueHint: "id", required: false, variadic: true },
  id: { type: "string", description: "A todo's id (the original client's form of the ID argument)", valueHint: "id" },
} as const satisfies Record<string, ArgDef & Variadic>;

/** What selects todos in search and list, and in done, start and delete instead of ids. */
export const filterArgs = {
  pattern: { type: "string", description: "Regular expression (RE2) matched against title or description", valueHint: "regex" },
  tags: { type: "string", description: "Comma-separated tags the todo carries all of (or +tag words)", valueHint: "a,b" },
  states: { type: "string", description: `Comma-separated states, any of: ${SHORT_STATES.join(", ")}`, valueHint: "A,B" },
  "reminder-after": { type: "string", description: "Reminder at or after this time (tomorrow, +3d, 2026-12-01, …)", valueHint: "time" },
  "reminder-before": { type: "string", description: "Reminder before this time", valueHint: "time" },
} as const satisfies ArgsDef;
