// Turns requests into domain values, or throws InvalidArgumentError naming the first bad field.
// Nothing reaches a store unvalidated.
import { createHash } from "node:crypto";
import { RE2JS } from "re2js";
import type { Timestamp__Output } from "../proto/gen/types/google/protobuf/Timestamp";
import type { _todo_v1_Todo_State__Output, Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { SearchTodosRequest__Output } from "../proto/gen/types/todo/v1/SearchTodosRequest";
import type { UpdateTodoRequest__Output } from "../proto/gen/types/todo/v1/UpdateTodoRequest";
import type { SearchQuery } from "../store/store";
import { InvalidArgumentError } from "./invalid-argument";
import { ID_PATTERN } from "./id";
import { fromTimestamp } from "./mapping";
import { ORDER_FIELDS, type Order, type OrderField, STATES, type State, type TodoFields } from "./model";

export const LIMITS = {
  titleLength: 200,
  descriptionLength: 10_000,
  tags: 32,
  tagLength: 64,
  patternLength: 1_000,
  pageSize: 1_000,
  defaultPageSize: 100,
} as const;

const MIN_SECONDS = -62_135_596_800; // 0001-01-01T00:00:00Z
const MAX_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59Z

/** Length in characters as a person counts them (code points, not UTF-16 units). */
const length = (s: string) => [...s].length;

export function parseId(field: string, id: string): string {
  if (!id) throw new InvalidArgumentError(field, "is required");
  if (!ID_PATTERN.test(id)) throw new InvalidArgumentError(field, `"${id}" is not a todo id (24 lowercase hex digits)`);
  return id;
}

export function parseEtag(field: string, etag: string): number | undefined {
  if (!etag) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(etag)) throw new InvalidArgumentError(field, `"${etag}" is not an etag this server issued`);
  return Number(etag);
}

export function parseTitle(field: string, title: string): string {
  if (title.trim() === "") throw new InvalidArgumentError(field, "must not be empty");
  if (length(title) > LIMITS.titleLength) throw new InvalidArgumentError(field, `must be at most ${LIMITS.titleLength} characters, got ${length(title)}`);
  return title;
}

export function parseDescription(field: string, description: string): string {
  if (length(description) > LIMITS.descriptionLength)
    throw new InvalidArgumentError(field, `must be at most ${LIMITS.descriptionLength} characters, got ${length(description)}`);
  return description;
}

export function parseTags(field: string, tags: string[]): string[] {
  const distinct = [...new Set(tags)];
  if (distinct.length > LIMITS.tags) throw new InvalidArgumentError(field, `must hold at most ${LIMITS.tags} tags, got ${distinct.length}`);
  for (const tag of distinct) {
    if (tag.trim() === "") throw new InvalidArgumentError(field, "must not contain an empty tag");
    if (length(tag) > LIMITS.tagLength) throw new InvalidArgumentError(field, `tag "${tag.slice(0, 16)}…" is over ${LIMITS.tagLength} characters`);
  }
  return distinct;
}

export function parseTimestamp(field: string, ts: Timestamp__Output): number {
  const seconds = Number(ts.seconds);
  if (!Number.isSafeInteger(seconds) || seconds < MIN_SECONDS || seconds > MAX_SECONDS)
    throw new InvalidArgumentError(field, "must be between 0001-01-01 and 9999-12-31");
  if (!Number.isInteger(ts.nanos) || ts.nanos < 0 || ts.nanos > 999_999_999)
    throw new InvalidArgumentError(field, "nanos must be between 0 and 999,999,999");
  return fromTimestamp(ts);
}

/** `unspecified` stands for STATE_UNSPECIFIED; without it, STATE_UNSPECIFIED is an error. */
function parseState(field: string, state: _todo_v1_Todo_State__Output, unspecified?: State): State {
  if (state === "STATE_UNSPECIFIED") {
    if (unspecified) return unspecified;
    throw new InvalidArgumentError(field, "STATE_UNSPECIFIED matches no todo");
  }
  if (!STATES.includes(state)) throw new InvalidArgumentError(field, `unknown state ${state}; use one of ${STATES.join(", ")}`);
  return state;
}

export function parseNewTodo(todo: Todo__Output | null): TodoFields {
  if (!todo) throw new InvalidArgumentError("todo", "is required");
  return {
    title: parseTitle("todo.title", todo.title),
    description: parseDescription("todo.description", todo.description),
    tags: parseTags("todo.tags", todo.tags),
    reminder: todo.reminder ? parseTimestamp("todo.reminder", todo.reminder) : null,
    state: parseState("todo.state", todo.state, "STATE_NOT_STARTED"),
  };
}

const MASKABLE = ["title", "description", "tags", "reminder", "state"] as const satisfies readonly (keyof TodoFields)[];
type Maskable = (typeof MASKABLE)[number];

/** Whether a field is set, for updates without a mask (proto3 cannot tell empty from absent). */
const isSet: Record<Maskable, (todo: Todo__Output) => boolean> = {
  title: (t) => t.title !== "",
  description: (t) => t.description !== "",
  tags: (t) => t.tags.length > 0,
  reminder: (t) => t.reminder !== null,
  state: (t) => t.state !== "STATE_UNSPECIFIED",
};

export interface TodoUpdate {
  id: string;
  fields: Partial<TodoFields>;
  expectedVersion?: number;
}

export function parseUpdate(request: UpdateTodoRequest__Output): TodoUpdate {
  const todo = request.todo;
  if (!todo) throw new InvalidArgumentError("todo", "is required");
  const id = parseId("todo.id", todo.id);
  let paths: Maskable[];
  if (request.update_mask && request.update_mask.paths.length > 0) {
    paths = [];
    for (const path of request.update_mask.paths) {
      if (path === "*") paths.push(...MASKABLE);
      else if ((MASKABLE as readonly string[]).includes(path)) paths.push(path as Maskable);
      else throw new InvalidArgumentError("update_mask", `cannot update "${path}"; use ${MASKABLE.join(", ")} or *`);
    }
  } else {
    paths = MASKABLE.filter((field) => isSet[field](todo));
  }
  const fields: Partial<TodoFields> = {};
  for (const path of new Set(paths)) {
    const field = `todo.${path}`;
    if (path === "title") fields.title = parseTitle(field, todo.title);
    if (path === "description") fields.description = parseDescription(field, todo.description);
    if (path === "tags") fields.tags = parseTags(field, todo.tags);
    if (path === "reminder") fields.reminder = todo.reminder ? parseTimestamp(field, todo.reminder) : null;
    if (path === "state") fields.state = parseState(field, todo.state, "STATE_NOT_STARTED");
  }
  return { id, fields, expectedVersion: parseEtag("todo.etag", todo.etag) };
}

/** Compiles a pattern with RE2 (linear time: no pattern can stall the daemon) or names what is wrong. */
export function parsePattern(field: string, pattern: string): RE2JS {
  if (length(pattern) > LIMITS.patternLength) throw new InvalidArgumentError(field, `must be at most ${LIMITS.patternLength} characters`);
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    throw new InvalidArgumentError(field, `invalid regular expression: ${(e as Error).message}`);
  }
}

function parseOrder(orderBy: string): Order {
  const words = orderBy.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { field: "create_time", descending: false };
  const [field, direction, ...rest] = words;
  const ok = (ORDER_FIELDS as readonly string[]).includes(field!) && rest.length === 0 && (direction === undefined || direction === "asc" || direction === "desc");
  if (!ok) throw new InvalidArgumentError("order_by", `"${orderBy}" is not one of ${ORDER_FIELDS.join(", ")}, optionally followed by " desc"`);
  return { field: field as OrderField, descending: direction === "desc" };
}

/** Where the next page starts, bound to the filters that produced it. */
interface PageToken {
  k: string | number | null;
  i: string;
  f: string;
}

function fingerprint(query: Omit<SearchQuery, "after" | "limit">): string {
  const canonical = JSON.stringify([query.pattern ?? "", [...query.tags].sort(), [...query.states].sort(), query.reminderAfter ?? null, query.reminderBefore ?? null, query.order]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}

export function encodePageToken(query: SearchQuery, last: { key: string | number | null; id: string }): string {
  const token: PageToken = { k: last.key, i: last.id, f: fingerprint(query) };
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

export function parseSearch(request: SearchTodosRequest__Output): SearchQuery {
  if (request.pattern) parsePattern("pattern", request.pattern);
  const query: SearchQuery = {
    pattern: request.pattern || undefined,
    tags: request.tags.length ? parseTags("tags", request.tags) : [],
    states: [...new Set(request.states.map((s) => parseState("states", s)))],
    reminderAfter: request.reminder_after ? parseTimestamp("reminder_after", request.reminder_after) : undefined,
    reminderBefore: request.reminder_before ? parseTimestamp("reminder_before", request.reminder_before) : undefined,
    order: parseOrder(request.order_by),
    limit: request.page_size || LIMITS.defaultPageSize,
  };
  if (request.page_size < 0 || request.page_size > LIMITS.pageSize)
    throw new InvalidArgumentError("page_size", `must be between 0 and ${LIMITS.pageSize}, got ${request.page_size}`);
  if (request.page_token) {
    let token: PageToken;
    try {
      token = JSON.parse(Buffer.from(request.page_token, "base64url").toString());
    } catch {
      throw new InvalidArgumentError("page_token", "is not a token this server issued");
    }
    if (typeof token?.i !== "string" || !ID_PATTERN.test(token.i) || !["string", "number"].includes(typeof token.k) && token.k !== null)
      throw new InvalidArgumentError("page_token", "is not a token this server issued");
    if (token.f !== fingerprint(query)) throw new InvalidArgumentError("page_token", "was issued for other filters or another order_by");
    query.after = { key: token.k, id: token.i };
  }
  return query;
}
