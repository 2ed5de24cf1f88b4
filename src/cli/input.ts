// Parses what a person types into request values; mistakes are CliErrors naming the flag.
import type { Timestamp } from "../proto/gen/types/google/protobuf/Timestamp";
import type { _todo_v1_Todo_State } from "../proto/gen/types/todo/v1/Todo";
import { rfc3339ToTimestamp } from "../api/json";
import { CliError } from "./errors";

const STATE_NAMES = ["NOT_STARTED", "IN_PROGRESS", "DONE"] as const;

export function parseState(flag: string, text: string): _todo_v1_Todo_State {
  const name = text.trim().toUpperCase().replace(/^STATE_/, "").replace(/[- ]/g, "_");
  if (!(STATE_NAMES as readonly string[]).includes(name)) throw new CliError(`${flag}: "${text}" is not one of ${STATE_NAMES.join(", ")}`, 2);
  return `STATE_${name}` as _todo_v1_Todo_State;
}

export function parseList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Unix seconds (as `date +%s` prints) or RFC 3339. */
export function parseTime(flag: string, text: string): Timestamp {
  if (/^-?\d+$/.test(text.trim())) return { seconds: text.trim(), nanos: 0 };
  try {
    return rfc3339ToTimestamp(flag, text.trim());
  } catch {
    throw new CliError(`${flag}: "${text}" is neither unix seconds nor an RFC 3339 time such as 2026-11-27T09:00:00Z`, 2);
  }
}
