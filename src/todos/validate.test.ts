import { describe, expect, test } from "bun:test";
import type { SearchTodosRequest__Output } from "../proto/gen/types/todo/v1/SearchTodosRequest";
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import { InvalidArgumentError } from "./invalid-argument";
import { encodePageToken, parseEtag, parseId, parseNewTodo, parseSearch, parseUpdate } from "./validate";

const todo = (overrides: Partial<Todo__Output> = {}): Todo__Output => ({
  id: "",
  title: "ori",
  description: "",
  tags: [],
  reminder: null,
  state: "STATE_UNSPECIFIED",
  create_time: null,
  update_time: null,
  etag: "",
  ...overrides,
});

const search = (overrides: Partial<SearchTodosRequest__Output> = {}): SearchTodosRequest__Output => ({
  pattern: "",
  tags: [],
  states: [],
  reminder_after: null,
  reminder_before: null,
  page_size: 0,
  page_token: "",
  order_by: "",
  ...overrides,
});

function invalid(fn: () => unknown): { field: string; reason: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidArgumentError) return { field: e.field, reason: e.reason };
    throw e;
  }
  throw new Error("no InvalidArgumentError");
}

describe("new todos", () => {
  test("defaults: NOT_STARTED, no reminder; duplicate tags collapse", () => {
    expect(parseNewTodo(todo({ tags: ["a", "b", "a"] }))).toEqual({ title: "ori", description: "", tags: ["a", "b"], reminder: null, state: "STATE_NOT_STARTED" });
  });

  test("reminder keeps millisecond precision", () => {
    expect(parseNewTodo(todo({ reminder: { seconds: "1573228261", nanos: 123_456_789 } })).reminder).toBe(1_573_228_261_123);
  });

  test.each([
    [{ title: "" }, "todo.title", "must not be empty"],
    [{ title: "   " }, "todo.title", "must not be empty"],
    [{ title: "x".repeat(201) }, "todo.title", "must be at most 200 characters, got 201"],
    [{ description: "d".repeat(10_001) }, "todo.description", "must be at most 10000 characters, got 10001"],
    [{ tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, "todo.tags", "must hold at most 32 tags, got 33"],
    [{ tags: ["x".repeat(65)] }, "todo.tags", 'tag "xxxxxxxxxxxxxxxx…" is over 64 characters'],
    [{ tags: [""] }, "todo.tags", "must not contain an empty tag"],
    [{ state: 7 as unknown as Todo__Output["state"] }, "todo.state", "unknown state 7; use one of STATE_NOT_STARTED, STATE_IN_PROGRESS, STATE_DONE"],
    [{ reminder: { seconds: "253402300800", nanos: 0 } }, "todo.reminder", "must be between 0001-01-01 and 9999-12-31"],
    [{ reminder: { seconds: "0", nanos: 1_000_000_000 } }, "todo.reminder", "nanos must be between 0 and 999,999,999"],
  ] as [Partial<Todo__Output>, string, string][])("%o is INVALID_ARGUMENT on %s", (overrides, field, reason) => {
    expect(invalid(() => parseNewTodo(todo(overrides)))).toEqual({ field, reason });
  });

  test("a title of 200 emoji counts 200 characters", () => {
    expect(parseNewTodo(todo({ title: "😀".repeat(200) })).title).toHaveLength(400);
  });

  test("a missing todo is named", () => {
    expect(invalid(() => parseNewTodo(null))).toEqual({ field: "todo", reason: "is required" });
  });
});

describe("ids and etags", () => {
  test("ids are 24 lowercase hex digits", () => {
    expect(parseId("id", "5dc58ee5d954d9bc69be5523")).toBe("5dc58ee5d954d9bc69be5523");
    for (const bad of ["", "5DC58EE5D954D9BC69BE5523", "5dc58ee5", "5dc58ee5d954d9bc69be552z"]) expect(invalid(() => parseId("id", bad)).field).toBe("id");
  });

  test("etags are the positive versions this server issues", () => {
    expect(parseEtag("etag", "")).toBeUndefined();
    expect(parseEtag("etag", "12")).toBe(12);
    expect(invalid(() => parseEtag("etag", "W/\"1\""))).toEqual({ field: "etag", reason: '"W/"1"" is not an etag this server issued' });
  });
});

describe("updates", () => {
  const id = "5dc58ee5d954d9bc69be5523";

  test("without a mask, the fields that are set change", () => {
    expect(parseUpdate({ todo: todo({ id, title: "new", tags: ["x"] }), update_mask: null })).toEqual({ id, fields: { title: "new", tags: ["x"] }, expectedVersion: undefined });
  });

  test("with a mask, exactly the masked fields change, even to empty", () => {
    expect(parseUpdate({ todo: todo({ id, title: "ignored", etag: "3" }), update_mask: { paths: ["tags", "reminder", "description"] } })).toEqual({
      id,
      fields: { tags: [], reminder: null, description: "" },
      expectedVersion: 3,
    });
  });

  test("* replaces every field", () => {
    expect(parseUpdate({ todo: todo({ id, title: "all" }), update_mask: { paths: ["*"] } }).fields).toEqual({ title: "all", description: "", tags: [], reminder: null, state: "STATE_NOT_STARTED" });
  });

  test("unknown or output-only paths, and a masked empty title, are refused", () => {
    expect(invalid(() => parseUpdate({ todo: todo({ id }), update_mask: { paths: ["create_time"] } }))).toEqual({
      field: "update_mask",
      reason: 'cannot update "create_time"; use title, description, tags, reminder, state or *',
    });
    expect(invalid(() => parseUpdate({ todo: todo({ id, title: "" }), update_mask: { paths: ["title"] } })).field).toBe("todo.title");
    expect(invalid(() => parseUpdate({ todo: todo({ id: "x" }), update_mask: null })).field).toBe("todo.id");
  });
});

describe("search", () => {
  test("defaults: 100 per page, creation order", () => {
    expect(parseSearch(search())).toMatchObject({ limit: 100, order: { field: "create_time", descending: false }, tags: [], states: [] });
  });

  test.each([
    [{ pattern: "(" }, "pattern"],
    [{ pattern: "a".repeat(1001) }, "pattern"],
    [{ page_size: 1001 }, "page_size"],
    [{ page_size: -1 }, "page_size"],
    [{ order_by: "priority" }, "order_by"],
    [{ order_by: "title sideways" }, "order_by"],
    [{ states: ["STATE_UNSPECIFIED"] }, "states"],
    [{ page_token: "not-a-token" }, "page_token"],
  ] as [Partial<SearchTodosRequest__Output>, string][])("%o is INVALID_ARGUMENT on %s", (overrides, field) => {
    expect(invalid(() => parseSearch(search(overrides))).field).toBe(field);
  });

  test("RE2 accepts what a catastrophic-backtracking engine would choke on", () => {
    expect(parseSearch(search({ pattern: "^(a+)+$" })).pattern).toBe("^(a+)+$");
  });

  test("a page token resumes the same query and is refused for another", () => {
    const request = search({ pattern: "x", order_by: "title desc", page_size: 5 });
    const token = encodePageToken(parseSearch(request), { key: "m", id: "5dc58ee5d954d9bc69be5523" });
    expect(parseSearch({ ...request, page_token: token }).after).toEqual({ key: "m", id: "5dc58ee5d954d9bc69be5523" });
    expect(parseSearch({ ...request, page_size: 50, page_token: token }).after).toBeDefined();
    expect(invalid(() => parseSearch({ ...request, pattern: "y", page_token: token }))).toEqual({
      field: "page_token",
      reason: "was issued for other filters or another order_by",
    });
  });
});
