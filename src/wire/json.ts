// The proto3 JSON mapping of a Todo (what `--json`, export and import speak): lowerCamel names,
// RFC 3339 timestamps, enum names, default values omitted.
import type { Timestamp } from "../proto/gen/types/google/protobuf/Timestamp";
import type { Todo, Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { TodoEvent__Output } from "../proto/gen/types/todo/v1/TodoEvent";
import { InvalidArgumentError } from "../todos/errors";
import { quote } from "../todos/quote";
import { STATES, stateFromSpelling } from "../vocabulary/todo";

export interface TodoJson {
  id?: string;
  title?: string;
  description?: string;
  tags?: string[];
  reminder?: string;
  state?: string;
  createTime?: string;
  updateTime?: string;
  etag?: string;
  /** uint64, so a string in proto3 JSON; ignored on import (each store numbers its own todos). */
  number?: string;
}

/** RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as proto3 JSON requires. */
export function timestampToRfc3339(ts: Timestamp): string {
  const seconds = Number(ts.seconds);
  const nanos = ts.nanos ?? 0;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (nanos === 0) return `${base}Z`;
  const digits = String(nanos).padStart(9, "0");
  const fraction = digits.endsWith("000000") ? digits.slice(0, 3) : digits.endsWith("000") ? digits.slice(0, 6) : digits;
  return `${base}.${fraction}Z`;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Whether year-month-day names a day of the calendar: Date.parse takes 2026-02-30 for March 2. */
function dayExists(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function rfc3339ToTimestamp(field: string, text: string): Timestamp {
  const ms = Date.parse(text);
  if (!RFC3339.test(text) || Number.isNaN(ms) || !dayExists(text))
    throw new InvalidArgumentError(field, `${quote(text)} is not an RFC 3339 time such as 2026-11-27T09:00:00Z`);
  const fraction = /\.(\d{1,9})/.exec(text)?.[1] ?? "";
  return { seconds: String(Math.floor(ms / 1000)), nanos: Number(fraction.padEnd(9, "0")) };
}

export function todoToJson(todo: Todo__Output): TodoJson {
  const json: TodoJson = {};
  if (todo.id) json.id = todo.id;
  if (todo.title) json.title = todo.title;
  if (todo.description) json.description = todo.description;
  if (todo.tags.length) json.tags = todo.tags;
  if (todo.reminder) json.reminder = timestampToRfc3339(todo.reminder);
  if (todo.state !== "STATE_UNSPECIFIED") json.state = todo.state;
  if (todo.create_time) json.createTime = timestampToRfc3339(todo.create_time);
  if (todo.update_time) json.updateTime = timestampToRfc3339(todo.update_time);
  if (todo.etag) json.etag = todo.etag;
  if (todo.number && todo.number !== "0") json.number = todo.number;
  return json;
}

/**
 * The enum's name, or the CLI's spelling without the prefix (DONE, as `todo add --state` takes it);
 * absent is the default. Anything else is refused: sent on, the encoder would turn it into
 * STATE_UNSPECIFIED, and the todo silently into NOT_STARTED.
 */
function stateFromJson(state: string | undefined): Todo["state"] {
  if (state === undefined) return "STATE_UNSPECIFIED";
  const known = stateFromSpelling(state, "json");
  if (!known) throw new InvalidArgumentError("state", `${quote(state)} is not one of ${STATES.join(", ")} (or the same without STATE_)`);
  return known;
}

/** Reads a proto3 JSON Todo (either lowerCamel or the proto's snake_case names, as the mapping allows). */
export function todoFromJson(value: unknown): Todo {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InvalidArgumentError("todo", "must be a JSON object");
  const o = value as Record<string, unknown>;
  const str = (name: string, ...keys: string[]): string | undefined => {
    const v = keys.map((k) => o[k]).find((x) => x !== undefined);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") throw new InvalidArgumentError(name, "must be a string");
    return v;
  };
  const tags = o.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== "string")) throw new InvalidArgumentError("tags", "must be an array of strings");
  const reminder = str("reminder", "reminder");
  const state = stateFromJson(str("state", "state"));
  const createTime = str("createTime", "createTime", "create_time");
  const updateTime = str("updateTime", "updateTime", "update_time");
  return {
    id: str("id", "id") ?? "",
    title: str("title", "title") ?? "",
    description: str("description", "description") ?? "",
    tags: tags as string[],
    reminder: reminder ? rfc3339ToTimestamp("reminder", reminder) : null,
    state,
    create_time: createTime ? rfc3339ToTimestamp("createTime", createTime) : null,
    update_time: updateTime ? rfc3339ToTimestamp("updateTime", updateTime) : null,
  };
}

/** A Todo as the daemon answers it in proto3 JSON (Connect), in the shape the gRPC client decodes one into (defaults filled in). */
export function todoOutputFromJson(value: unknown): Todo__Output {
  const todo = todoFromJson(value);
  const { etag, number } = value as TodoJson;
  return { ...todo, etag: etag ?? "", number: number ?? "0" } as Todo__Output;
}

/** The proto3 JSON of an event (`todo watch --json`): lowerCamel names, 64-bit integers as strings. */
export function eventToJson(event: TodoEvent__Output): Record<string, unknown> {
  const json: Record<string, unknown> = {
    eventId: event.event_id,
    position: event.position,
    todoId: event.todo_id,
    version: event.version,
  };
  if (event.time) json.time = timestampToRfc3339(event.time);
  if (event.actor) json.actor = event.actor;
  if (event.created) json.created = { todo: todoToJson(event.created.todo!) };
  if (event.updated) json.updated = { updateMask: event.updated.update_mask?.paths.join(",") ?? "", todo: todoToJson(event.updated.todo!) };
  if (event.deleted) json.deleted = { todo: todoToJson(event.deleted.todo!) };
  if (event.reminder_due) json.reminderDue = { todo: todoToJson(event.reminder_due.todo!), reminder: timestampToRfc3339(event.reminder_due.reminder!) };
  return json;
}
