// The store contract: every adapter runs this suite unchanged (see <adapter>/*.test.ts).
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { ID_PATTERN } from "../../src/vocabulary/todo";
import type { Order, TodoFields, TodoRecord } from "../../src/todos/model";
import { sortKey } from "../../src/todos/sort";
import { AlreadyExistsError, NotFoundError, VersionMismatchError } from "../../src/todos/errors";
import type { SearchQuery, TodoStore } from "../../src/todos/ports";

export interface StoreUnderTest {
  store: TodoStore;
  /** Removes every todo, so each test starts empty. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

const fields = (overrides: Partial<TodoFields> = {}): TodoFields => ({
  title: "ori",
  description: "12factor apps",
  tags: ["job"],
  reminder: 1_573_228_261_000,
  state: "STATE_NOT_STARTED",
  ...overrides,
});

const query = (overrides: Partial<SearchQuery> = {}): SearchQuery => ({
  tags: [],
  states: [],
  order: { field: "create_time", descending: false },
  limit: 100,
  ...overrides,
});

/** Every page of a search, following the last todo's key as the server's page token does. */
async function searchAll(store: TodoStore, q: SearchQuery): Promise<TodoRecord[]> {
  const all: TodoRecord[] = [];
  let after: SearchQuery["after"];
  for (let pages = 0; pages < 1000; pages++) {
    const page = await store.search({ ...q, after });
    all.push(...page.todos);
    if (!page.more) return all;
    const last = page.todos.at(-1)!;
    after = { key: sortKey(last, q.order), id: last.id };
  }
  throw new Error("search did not end");
}

export function describeStoreContract(name: string, open: () => Promise<StoreUnderTest>) {
  describe(`${name} store contract`, async () => {
    const subject = await open();
    const store = subject.store;
    beforeEach(() => subject.clear());
    afterAll(() => subject.close());

    test("each todo gets the next short number, kept by every write and never reused; a todo created again under its id gets its own back", async () => {
      const [a, b, c] = [await store.create(fields({ title: "a" })), await store.create(fields({ title: "b" })), await store.create(fields({ title: "c" }))].map((change) => change.todo);
      expect(a!.number).toBeGreaterThan(0);
      expect([b!.number, c!.number]).toEqual([a!.number + 1, a!.number + 2]);
      expect((await store.get(b!.id))?.number).toBe(b!.number);
      expect((await store.search(query())).todos.map((t) => t.number)).toEqual([a!.number, b!.number, c!.number]);
      expect((await store.update(b!.id, { title: "b2" })).todo.number).toBe(b!.number);
      await store.delete(c!.id);
      const d = (await store.create(fields({ title: "d" }))).todo;
      expect(d.number).toBe(c!.number + 1);
      expect((await store.create(fields({ title: "c again" }), { id: c!.id })).todo.number).toBe(c!.number);
      expect((await store.get(c!.id))?.number).toBe(c!.number);
      // Concurrent creates never share a number.
      const many = await Promise.all(Array.from({ length: 12 }, (_, i) => store.create(fields({ title: `n${i}` }))));
      const numbers = many.map((change) => change.todo.number);
      expect(new Set(numbers).size).toBe(12);
      expect(Math.min(...numbers)).toBe(d.number + 1);
    });

    test("create assigns an ObjectId, version 1 and times, and get returns it", async () => {
      const change = await store.create(fields());
      expect(change.kind).toBe("created");
      expect(change.version).toBe(1);
      expect(change.todo.id).toMatch(ID_PATTERN);
      expect(change.todo.createTime).toBe(change.todo.updateTime);
      expect(Math.abs(change.todo.createTime - Date.now())).toBeLessThan(60_000);
      expect(await store.get(change.todo.id)).toEqual(change.todo);
      expect(change.todo).toMatchObject(fields());
    });

    test("create keeps a given id and refuses a taken one", async () => {
      const id = "5dc58ee5d954d9bc69be5523";
      const change = await store.create(fields(), { id });
      expect(change.todo.id).toBe(id);
      await expect(store.create(fields({ title: "other" }), { id })).rejects.toBeInstanceOf(AlreadyExistsError);
      expect((await store.get(id))!.title).toBe("ori");
    });

    test("create keeps given times (an import of an export)", async () => {
      const { todo } = await store.create(fields(), { id: "5dc58ee5d954d9bc69be5524", times: { createTime: 1_573_228_000_000, updateTime: 1_573_228_100_250 } });
      expect([todo.createTime, todo.updateTime]).toEqual([1_573_228_000_000, 1_573_228_100_250]);
      expect(await store.get(todo.id)).toEqual(todo);
    });

    test("a todo without reminder, tags or description round-trips", async () => {
      const { todo } = await store.create(fields({ reminder: null, tags: [], description: "" }));
      expect(await store.get(todo.id)).toEqual(todo);
    });

    test("get of an unknown id is null", async () => {
      expect(await store.get("000000000000000000000000")).toBeNull();
    });

    test("update changes only the given fields and bumps the version", async () => {
      const { todo } = await store.create(fields());
      await Bun.sleep(2);
      const change = await store.update(todo.id, { tags: ["job", "golang"], state: "STATE_DONE" });
      expect(change.kind).toBe("updated");
      expect(change.version).toBe(2);
      expect(change.todo).toMatchObject({ ...fields(), tags: ["job", "golang"], state: "STATE_DONE", version: 2, createTime: todo.createTime });
      expect(change.todo.updateTime).toBeGreaterThan(todo.updateTime);
      expect(await store.get(todo.id)).toEqual(change.todo);
    });

    test("update clears a reminder and tags", async () => {
      const { todo } = await store.create(fields());
      const change = await store.update(todo.id, { reminder: null, tags: [] });
      expect((await store.get(todo.id))!).toMatchObject({ reminder: null, tags: [] });
      expect(change.todo.reminder).toBeNull();
    });

    test("update with a stale version fails and changes nothing", async () => {
      const { todo } = await store.create(fields());
      await store.update(todo.id, { title: "first" }, { expectedVersion: 1 });
      await expect(store.update(todo.id, { title: "second" }, { expectedVersion: 1 })).rejects.toBeInstanceOf(VersionMismatchError);
      expect((await store.get(todo.id))!).toMatchObject({ title: "first", version: 2 });
    });

    test("update or delete of an unknown id is NotFound", async () => {
      await expect(store.update("000000000000000000000000", { title: "x" })).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.delete("000000000000000000000000")).rejects.toBeInstanceOf(NotFoundError);
    });

    test("concurrent updates with one version: exactly one wins", async () => {
      const { todo } = await store.create(fields());
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.update(todo.id, { title: `writer ${i}` }, { expectedVersion: 1 })));
      const won = results.filter((r) => r.status === "fulfilled");
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(VersionMismatchError);
      expect((await store.get(todo.id))!.version).toBe(2);
    });

    test("delete removes the todo and records what it was", async () => {
      const { todo } = await store.create(fields());
      await expect(store.delete(todo.id, { expectedVersion: 7 })).rejects.toBeInstanceOf(VersionMismatchError);
      const change = await store.delete(todo.id, { expectedVersion: 1 });
      expect(change).toMatchObject({ kind: "deleted", version: 2, todoId: todo.id, todo });
      expect(await store.get(todo.id)).toBeNull();
      await expect(store.delete(todo.id)).rejects.toBeInstanceOf(NotFoundError);
    });

    describe("search", () => {
      async function seed() {
        const a = (await store.create(fields({ title: "ori", description: "12factor apps", tags: ["job"], reminder: 3000 }))).todo;
        const b = (await store.create(fields({ title: "ori", description: "12factor eventstore", tags: ["job", "golang"], reminder: 1000 }))).todo;
        const c = (await store.create(fields({ title: "Read - Challenge", description: "micro service", tags: ["golang", "k8s"], state: "STATE_DONE", reminder: null }))).todo;
        const d = (await store.create(fields({ title: "event title", description: "none", tags: [], state: "STATE_IN_PROGRESS", reminder: 2000 }))).todo;
        return { a, b, c, d };
      }
      const ids = (todos: TodoRecord[]) => todos.map((t) => t.id);

      test("no filter lists everything in creation order", async () => {
        const { a, b, c, d } = await seed();
        expect(ids((await store.search(query())).todos)).toEqual([a.id, b.id, c.id, d.id]);
      });

      test("pattern matches title or description", async () => {
        const { b, d } = await seed();
        expect(ids((await store.search(query({ pattern: ".event.*" }))).todos)).toEqual([b.id]);
        expect(ids((await store.search(query({ pattern: "event" }))).todos)).toEqual([b.id, d.id]);
      });

      test("patternFields limits where the pattern matches", async () => {
        const { b, d } = await seed();
        expect(ids((await store.search(query({ pattern: "event", patternFields: ["description"] }))).todos)).toEqual([b.id]);
        expect(ids((await store.search(query({ pattern: "event", patternFields: ["title"] }))).todos)).toEqual([d.id]);
        expect(ids((await store.search(query({ pattern: "event", patternFields: ["title", "description"] }))).todos)).toEqual([b.id, d.id]);
      });

      test("tags must all be present; states any of", async () => {
        const { a, b, c, d } = await seed();
        expect(ids((await store.search(query({ tags: ["golang"] }))).todos)).toEqual([b.id, c.id]);
        expect(ids((await store.search(query({ tags: ["job", "golang"] }))).todos)).toEqual([b.id]);
        expect(ids((await store.search(query({ states: ["STATE_DONE", "STATE_IN_PROGRESS"] }))).todos)).toEqual([c.id, d.id]);
        expect(ids((await store.search(query({ tags: ["job"], states: ["STATE_NOT_STARTED"] }))).todos)).toEqual([a.id, b.id]);
      });

      test("reminder range is [after, before)", async () => {
        const { a, d } = await seed();
        expect(ids((await store.search(query({ reminderAfter: 2000, reminderBefore: 3001 }))).todos)).toEqual([a.id, d.id]);
        expect(ids((await store.search(query({ reminderAfter: 2000, reminderBefore: 3000 }))).todos)).toEqual([d.id]);
      });

      test("orders by each field both ways, todos without a reminder after those with one", async () => {
        const { a, b, c, d } = await seed();
        const order = async (o: Order) => ids((await store.search(query({ order: o }))).todos);
        expect(await order({ field: "reminder", descending: false })).toEqual([b.id, d.id, a.id, c.id]);
        expect(await order({ field: "reminder", descending: true })).toEqual([c.id, a.id, d.id, b.id]);
        expect(await order({ field: "create_time", descending: true })).toEqual([d.id, c.id, b.id, a.id]);
        expect((await order({ field: "title", descending: false }))[0]).toBe(c.id);
      });

      test("pages cover every match once, in every order, with and without a pattern", async () => {
        for (let i = 0; i < 23; i++)
          await store.create(fields({ title: `todo ${i % 5}`, reminder: i % 3 === 0 ? null : 1000 * (i % 4), tags: i % 2 ? ["odd"] : ["even"] }));
        for (const field of ["create_time", "update_time", "reminder", "title"] as const)
          for (const descending of [false, true])
            for (const pattern of [undefined, "todo [0-3]"]) {
              const q = query({ order: { field, descending }, limit: 4, pattern });
              const all = await searchAll(store, q);
              const expected = (await store.search({ ...q, limit: 1000 })).todos;
              expect(ids(all)).toEqual(ids(expected));
              expect(new Set(ids(all)).size).toBe(pattern ? 19 : 23);
            }
      });

      test("pages by reminder cross from dated to undated todos (and back, descending) without loss", async () => {
        const undated = [];
        const dated = [];
        for (let i = 0; i < 5; i++) undated.push((await store.create(fields({ title: `undated ${i}`, reminder: null }))).todo);
        for (let i = 0; i < 5; i++) dated.push((await store.create(fields({ title: `dated ${i}`, reminder: 10_000 - i * 1000 }))).todo);
        const byReminder = [...dated].reverse().map((t) => t.id);
        for (const limit of [1, 2, 3, 5, 6]) {
          expect(ids(await searchAll(store, query({ order: { field: "reminder", descending: false }, limit })))).toEqual([...byReminder, ...ids(undated)]);
          expect(ids(await searchAll(store, query({ order: { field: "reminder", descending: true }, limit })))).toEqual([...ids(undated).reverse(), ...[...byReminder].reverse()]);
        }
        expect(ids((await store.search(query({ order: { field: "reminder", descending: false }, limit: 3 }))).todos)).toEqual(byReminder.slice(0, 3));
      });

      test("patterns: case-insensitive, alternation, classes, unicode, no literal; updates and deletes are seen", async () => {
        const milk = (await store.create(fields({ title: "Buy MILK today", description: "" }))).todo;
        const ana = (await store.create(fields({ title: "call Ana", description: "about the Zürich office" }))).todo;
        const report = (await store.create(fields({ title: "report 2024", description: "quarterly numbers" }))).todo;
        await store.create(fields({ title: "report 20x4", description: "" }));
        const memo = (await store.create(fields({ title: "日本語のメモ", description: "" }))).todo;
        const ab = (await store.create(fields({ title: "ab", description: "xy" }))).todo;
        const find = async (pattern: string) => ids((await store.search(query({ pattern }))).todos);
        expect(await find("milk")).toEqual([]);
        expect(await find("(?i)milk")).toEqual([milk.id]);
        expect(await find("MILK|Ana")).toEqual([milk.id, ana.id]);
        expect(await find("report [0-9]{4}")).toEqual([report.id]);
        expect(await find("Zürich")).toEqual([ana.id]);
        expect(await find("(?i)ZÜRICH")).toEqual([ana.id]);
        expect(await find("zürich")).toEqual([]);
        expect(await find("日本語")).toEqual([memo.id]);
        expect(await find("本語")).toEqual([memo.id]);
        expect(await find("^ab$")).toEqual([ab.id]);
        expect(await find("^[xy]{2}$")).toEqual([ab.id]);
        await store.update(milk.id, { title: "Buy bread" });
        await store.delete(ana.id);
        expect(await find("(?i)milk")).toEqual([]);
        expect(await find("bread")).toEqual([milk.id]);
        expect(await find("Zürich|Ana")).toEqual([]);
      });

      test("limit is honoured and `more` says whether matches remain", async () => {
        await seed();
        const page = await store.search(query({ limit: 3 }));
        expect(page.todos).toHaveLength(3);
        expect(page.more).toBe(true);
        expect((await store.search(query({ limit: 4 }))).more).toBe(false);
      });
    });

    test("ping answers", async () => {
      await store.ping();
    });
  });
}
