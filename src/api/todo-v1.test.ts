// todo.v1's decoding and the core's rules, through the adapter's handlers over a real SQLite store:
// bad input is INVALID_ARGUMENT naming the request's field, and nothing is written.
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SearchTodosRequest__Output } from "../proto/gen/types/todo/v1/SearchTodosRequest";
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import { SqliteStore } from "../store/sqlite/sqlite-store";
import { TodoApp } from "../todos/app";
import { internalContext } from "../todos/context";
import { InvalidArgumentError } from "../todos/errors";
import { decodeUpdate } from "../wire/todo-v1";
import { todoV1 } from "./todo-v1";

const dir = mkdtempSync(join(tmpdir(), "todo-v1-"));
const store = SqliteStore.open(dir);
const api = todoV1(new TodoApp(store));
const ctx = internalContext();

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function count(): Promise<number> {
  return (await store.search({ tags: [], states: [], order: { field: "create_time", descending: false }, limit: 1000 })).todos.length;
}

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
  number: "0",
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

async function invalid(call: () => unknown): Promise<{ field: string; reason: string }> {
  try {
    await call();
  } catch (e) {
    if (e instanceof InvalidArgumentError) return { field: e.field, reason: e.reason };
    throw e;
  }
  throw new Error("no InvalidArgumentError");
}

const create = (t: Todo__Output | null, todo_id = "") => api.CreateTodo({ todo: t, todo_id }, ctx);

describe("new todos", () => {
  test("defaults: NOT_STARTED, no reminder; duplicate tags collapse", async () => {
    expect(await create(todo({ tags: ["a", "b", "a"] }))).toMatchObject({ title: "ori", description: "", tags: ["a", "b"], reminder: null, state: "STATE_NOT_STARTED" });
  });

  test("reminder keeps millisecond precision", async () => {
    expect((await create(todo({ reminder: { seconds: "1573228261", nanos: 123_456_789 } }))).reminder).toEqual({ seconds: "1573228261", nanos: 123_000_000 });
  });

  test.each([
    [{ title: "" }, "todo.title", "must not be empty"],
    [{ title: "   " }, "todo.title", "must not be empty"],
    [{ title: "x".repeat(201) }, "todo.title", "must be at most 200 characters, got 201"],
    [{ description: "d".repeat(10_001) }, "todo.description", "must be at most 10000 characters, got 10001"],
    [{ tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, "todo.tags", "must hold at most 32 tags, got 33"],
    [{ tags: ["x".repeat(65)] }, "todo.tags", `tag "${"x".repeat(48)}"… (65 characters) is over 64 characters`],
    [{ tags: [""] }, "todo.tags", "must not contain an empty tag"],
    [{ state: 7 as unknown as Todo__Output["state"] }, "todo.state", "unknown state \"7\"; use one of STATE_NOT_STARTED, STATE_IN_PROGRESS, STATE_DONE"],
    [{ reminder: { seconds: "253402300800", nanos: 0 } }, "todo.reminder", "must be between 0001-01-01 and 9999-12-31"],
    [{ reminder: { seconds: "0", nanos: 1_000_000_000 } }, "todo.reminder", "nanos must be between 0 and 999,999,999"],
  ] as [Partial<Todo__Output>, string, string][])("%o is INVALID_ARGUMENT on %s, and nothing is written", async (overrides, field, reason) => {
    const before = await count();
    expect(await invalid(() => create(todo(overrides)))).toEqual({ field, reason });
    expect(await count()).toBe(before);
  });

  test("a title of 200 emoji counts 200 characters", async () => {
    expect((await create(todo({ title: "😀".repeat(200) }))).title).toHaveLength(400);
  });

  test("a missing todo, or a malformed todo_id, is named", async () => {
    expect(await invalid(() => create(null))).toEqual({ field: "todo", reason: "is required" });
    expect((await invalid(() => create(todo(), "5dc58ee5"))).field).toBe("todo_id");
  });
});

const id = "5dc58ee5d954d9bc69be5523";

describe("ids and etags", () => {
  test("errors echo at most 48 characters of a value, whatever its size", async () => {
    const huge = "a".repeat(100_000);
    const cut = `"${"a".repeat(48)}"… (100000 characters)`;
    expect(await invalid(() => api.GetTodo({ id: huge }, ctx))).toEqual({ field: "id", reason: `${cut} is not a todo id (24 lowercase hex digits)` });
    expect((await invalid(() => api.DeleteTodo({ id, etag: huge }, ctx))).reason).toBe(`${cut} is not an etag this server issued`);
    expect((await invalid(() => api.SearchTodos(search({ order_by: huge }), ctx))).reason).toStartWith(`${cut} is not one of`);
    expect((await invalid(() => decodeUpdate({ todo: todo({ id }), update_mask: { paths: [huge] } }))).reason).toStartWith(`cannot update ${cut}`);
    expect((await invalid(() => create(todo({ tags: [huge] })))).reason).toBe(`tag ${cut} is over 64 characters`);
  });

  test("ids are 24 lowercase hex digits", async () => {
    for (const bad of ["", "5DC58EE5D954D9BC69BE5523", "5dc58ee5", "5dc58ee5d954d9bc69be552z"])
      expect((await invalid(() => api.GetTodo({ id: bad }, ctx))).field).toBe("id");
  });

  test("etags are the positive versions this server issues", async () => {
    const { id } = await create(todo());
    expect(await invalid(() => api.DeleteTodo({ id: id!, etag: 'W/"1"' }, ctx))).toEqual({ field: "etag", reason: '"W/\\"1\\"" is not an etag this server issued' });
    expect((await invalid(() => api.UpdateTodo({ todo: todo({ id: id!, etag: "x" }), update_mask: null }, ctx))).field).toBe("todo.etag");
    expect(await api.DeleteTodo({ id: id!, etag: "1" }, ctx)).toEqual({});
  });
});

describe("updates", () => {
  const id = "5dc58ee5d954d9bc69be5523";

  test("an update that replaces no field writes nothing: same etag, no event; a stale etag still fails", async () => {
    const created = await create(todo({ title: "kept" }));
    const head = await store.headPosition();
    const same = await api.UpdateTodo({ todo: todo({ id: created.id!, title: "" }), update_mask: null }, ctx);
    expect(same).toEqual(created);
    expect(await api.UpdateTodo({ todo: todo({ id: created.id!, title: "", etag: created.etag! }), update_mask: null }, ctx)).toEqual(created);
    expect(await store.headPosition()).toBe(head);
    await api.UpdateTodo({ todo: todo({ id: created.id!, title: "changed" }), update_mask: null }, ctx);
    await expect(api.UpdateTodo({ todo: todo({ id: created.id!, title: "", etag: created.etag! }), update_mask: null }, ctx)).rejects.toThrow("etag mismatch");
    await expect(api.UpdateTodo({ todo: todo({ id, title: "" }), update_mask: null }, ctx)).rejects.toThrow(`no todo with id ${id}`);
  });

  test("without a mask, the fields that are set change", () => {
    expect(decodeUpdate({ todo: todo({ id, title: "new", tags: ["x"] }), update_mask: null })).toEqual({ id, fields: { title: "new", tags: ["x"] }, etag: "" });
  });

  test("with a mask, exactly the masked fields change, even to empty", () => {
    expect(decodeUpdate({ todo: todo({ id, title: "ignored", etag: "3" }), update_mask: { paths: ["tags", "reminder", "description"] } })).toEqual({
      id,
      fields: { tags: [], reminder: null, description: "" },
      etag: "3",
    });
  });

  test("* replaces every field", () => {
    expect(decodeUpdate({ todo: todo({ id, title: "all" }), update_mask: { paths: ["*"] } }).fields).toEqual({
      title: "all",
      description: "",
      tags: [],
      reminder: null,
      state: "STATE_NOT_STARTED",
    });
  });

  test("unknown or output-only paths, a masked empty title and a bad id are refused, naming the request's field", async () => {
    expect(await invalid(() => decodeUpdate({ todo: todo({ id }), update_mask: { paths: ["create_time"] } }))).toEqual({
      field: "update_mask",
      reason: 'cannot update "create_time"; use title, description, tags, reminder, state or *',
    });
    const { id: created } = await create(todo());
    expect((await invalid(() => api.UpdateTodo({ todo: todo({ id: created!, title: "" }), update_mask: { paths: ["title"] } }, ctx))).field).toBe("todo.title");
    expect((await invalid(() => api.UpdateTodo({ todo: todo({ id: "x" }), update_mask: null }, ctx))).field).toBe("todo.id");
  });
});

describe("search", () => {
  beforeEach(async () => {
    for (const t of (await api.SearchTodos(search({ page_size: 1000 }), ctx)).todos!) await api.DeleteTodo({ id: t.id!, etag: "" }, ctx);
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
    [{ reminder_after: { seconds: "0", nanos: -1 } }, "reminder_after"],
  ] as [Partial<SearchTodosRequest__Output>, string][])("%o is INVALID_ARGUMENT on %s", async (overrides, field) => {
    expect((await invalid(() => api.SearchTodos(search(overrides), ctx))).field).toBe(field);
  });

  test("a page ends before its todos pass the byte budget, with a token that resumes after the last one", async () => {
    const small = todoV1(new TodoApp(store), undefined, 50_000);
    for (let i = 0; i < 12; i++) await create(todo({ title: `big ${i}`, description: "ü".repeat(10_000) }));
    const seen: string[] = [];
    let page_token = "";
    let pages = 0;
    do {
      const page = await small.SearchTodos(search({ page_size: 1000, page_token }), ctx);
      // Each todo encodes to about 20 KB: two fit in 50,000 bytes, a third would not.
      expect(page.todos!.length).toBeLessThanOrEqual(2);
      seen.push(...page.todos!.map((t) => t.title!));
      page_token = page.next_page_token!;
      pages++;
    } while (page_token);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `big ${i}`));
    expect(pages).toBe(6);
  });

  test("a page larger than one store read is assembled from several, in order", async () => {
    for (let i = 0; i < 250; i++) await create(todo({ title: `n${String(i).padStart(3, "0")}`, description: i % 2 ? "odd" : "even" }));
    const page = await api.SearchTodos(search({ pattern: "odd", page_size: 120, order_by: "title" }), ctx);
    expect(page.todos!.map((t) => t.title)).toEqual(Array.from({ length: 120 }, (_, i) => `n${String(2 * i + 1).padStart(3, "0")}`));
    const rest = await api.SearchTodos(search({ pattern: "odd", page_size: 1000, order_by: "title", page_token: page.next_page_token! }), ctx);
    expect(rest.todos!.length).toBe(5);
    expect(rest.next_page_token).toBe("");
  });

  test("RE2 accepts what a catastrophic-backtracking engine would choke on", async () => {
    expect((await api.SearchTodos(search({ pattern: "^(a+)+$" }), ctx)).todos).toEqual([]);
  });

  test("a page token resumes the same query and is refused for another", async () => {
    for (const title of ["a", "b", "c"]) await create(todo({ title, description: "x" }));
    const request = search({ pattern: "x", order_by: "title desc", page_size: 2 });
    const first = await api.SearchTodos(request, ctx);
    expect(first.todos!.map((t) => t.title)).toEqual(["c", "b"]);
    const token = first.next_page_token!;
    expect((await api.SearchTodos({ ...request, page_token: token }, ctx)).todos!.map((t) => t.title)).toEqual(["a"]);
    expect((await api.SearchTodos({ ...request, page_size: 50, page_token: token }, ctx)).todos!.map((t) => t.title)).toEqual(["a"]);
    expect(await invalid(() => api.SearchTodos({ ...request, pattern: "y", page_token: token }, ctx))).toEqual({
      field: "page_token",
      reason: "was issued for other filters or another order_by",
    });
  });
});
