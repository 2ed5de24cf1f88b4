// The event log's contract: every adapter runs this suite unchanged (see <adapter>/*.test.ts), with
// several store objects on one database standing in for several daemons.
import { describe, expect, test } from "bun:test";
import { VersionMismatchError } from "../../src/todos/errors";
import type { TodoFields, TodoRecord } from "../../src/todos/model";
import type { TodoEvent, TodoStore } from "../../src/todos/ports";

export interface LogUnderTest {
  /** Store objects on one new, empty database. */
  stores: TodoStore[];
  /** Resolves once every write made so far through `stores` is in the log. */
  settle(): Promise<void>;
  /** A store on another new, empty database: a replay's target. */
  fresh(): Promise<TodoStore>;
  close(): Promise<void>;
  /**
   * Whether a conditional write is atomic across store objects (SQLite's write lock; on MongoDB and
   * FerretDB alike the claims of src/store/mongo/claims.ts). A store without it runs the same-todo case
   * through one store object, which serialises its own writes.
   */
  atomicAcrossStores: boolean;
}

const fields = (title: string, overrides: Partial<TodoFields> = {}): TodoFields => ({
  title,
  description: "",
  tags: [],
  reminder: null,
  state: "STATE_NOT_STARTED",
  ...overrides,
});

/** The whole log, read in pages as a resuming reader would. */
async function readAll(store: TodoStore, after = 0, page = 7): Promise<TodoEvent[]> {
  const all: TodoEvent[] = [];
  for (;;) {
    const events = await store.readEvents(after, page);
    all.push(...events);
    if (events.length < page) return all;
    after = events.at(-1)!.position;
  }
}

async function allTodos(store: TodoStore): Promise<TodoRecord[]> {
  const todos: TodoRecord[] = [];
  let after: { key: number; id: string } | undefined;
  for (;;) {
    const page = await store.search({ tags: [], states: [], order: { field: "create_time", descending: false }, limit: 500, after });
    todos.push(...page.todos);
    if (!page.more) return todos;
    const last = page.todos.at(-1)!;
    after = { key: last.createTime, id: last.id };
  }
}

/** Positions 1..n with no gap, every event id once, and each todo's versions consecutive. */
function expectWellFormed(events: TodoEvent[]) {
  expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i + 1));
  expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  const versions = new Map<string, number[]>();
  for (const e of events) versions.set(e.todoId, [...(versions.get(e.todoId) ?? []), e.version]);
  for (const [id, vs] of versions) expect({ id, vs }).toEqual({ id, vs: vs.map((_, i) => vs[0]! + i) });
}

export function describeLogContract(name: string, open: () => Promise<LogUnderTest>) {
  describe(`${name} event log contract`, () => {
    test("each write appends one event: kind, version, actor, changed fields and the snapshot", async () => {
      const log = await open();
      try {
        const [store] = log.stores as [TodoStore];
        const created = await store.create(fields("a", { tags: ["x"] }), { actor: "alice" });
        const updated = await store.update(created.todo.id, { title: "b", tags: ["y"] }, { actor: "bob" });
        const deleted = await store.delete(created.todo.id, { expectedVersion: 2 });
        await log.settle();
        const events = await readAll(store);
        expect(events.map((e) => [e.position, e.kind, e.version, e.actor, e.changedFields])).toEqual([
          [1, "created", 1, "alice", []],
          [2, "updated", 2, "bob", ["title", "tags"]],
          [3, "deleted", 3, "", []],
        ]);
        expect(events.map((e) => e.eventId)).toEqual([created.eventId, updated.eventId, deleted.eventId]);
        expect(events[0]!.todo).toEqual(created.todo);
        expect(events[1]!.todo).toEqual(updated.todo);
        expect(events[2]!.todo).toEqual(updated.todo);
        expect(await store.headPosition()).toBe(3);
        expect(await store.readEvents(3, 10)).toEqual([]);
      } finally {
        await log.close();
      }
    });

    test("a write that fails appends nothing", async () => {
      const log = await open();
      try {
        const [store] = log.stores as [TodoStore];
        const { todo } = await store.create(fields("a"));
        await expect(store.update(todo.id, { title: "b" }, { expectedVersion: 5 })).rejects.toBeInstanceOf(VersionMismatchError);
        await expect(store.delete(todo.id, { expectedVersion: 5 })).rejects.toBeInstanceOf(VersionMismatchError);
        await expect(store.create(fields("c"), { id: todo.id })).rejects.toThrow();
        await log.settle();
        expect((await readAll(store)).map((e) => e.kind)).toEqual(["created"]);
      } finally {
        await log.close();
      }
    });

    test("an id created again after its delete continues its versions", async () => {
      const log = await open();
      try {
        const [store] = log.stores as [TodoStore];
        const id = "5dc58ee5d954d9bc69be5523";
        await store.create(fields("first"), { id });
        await store.delete(id);
        const again = await store.create(fields("second"), { id });
        expect(again.version).toBe(3);
        expect((await store.get(id))!.version).toBe(3);
        await log.settle();
        expect((await readAll(store)).map((e) => [e.kind, e.version])).toEqual([
          ["created", 1],
          ["deleted", 2],
          ["created", 3],
        ]);
      } finally {
        await log.close();
      }
    });

    test("concurrent writers through several store objects, concurrent readers: every reader sees every event once, in order", async () => {
      const log = await open();
      try {
        const writers = log.stores;
        let writing = true;
        // Readers resume after the last position they saw, as a watcher does, while the writers write.
        const readers = Array.from({ length: 3 }, async () => {
          const seen: TodoEvent[] = [];
          while (writing || (await log.stores[0]!.headPosition()) > (seen.at(-1)?.position ?? 0)) {
            const events = await log.stores[0]!.readEvents(seen.at(-1)?.position ?? 0, 50);
            seen.push(...events);
            if (events.length === 0) await Bun.sleep(25);
          }
          return seen;
        });
        let writes = 0;
        try {
          await Promise.all(
            writers.map(async (store, w) => {
              for (let i = 0; i < 30; i++) {
                const { todo } = await store.create(fields(`w${w} t${i}`, { tags: [`w${w}`] }));
                writes++;
                await store.update(todo.id, { state: "STATE_IN_PROGRESS" });
                writes++;
                if (i % 3 === 0) {
                  await store.delete(todo.id);
                  writes++;
                }
              }
            }),
          );
          await log.settle();
        } finally {
          // A writer that failed fails the test with its own error; the readers must not outlive it and
          // call a closed store (their errors would land on a later test).
          writing = false;
          await Promise.allSettled(readers);
        }
        const seenByReaders = await Promise.all(readers);
        const log0 = await readAll(log.stores[0]!);
        expect(log0).toHaveLength(writes);
        expectWellFormed(log0);
        for (const seen of seenByReaders) expect(seen.map((e) => e.eventId)).toEqual(log0.map((e) => e.eventId));
        for (const store of log.stores.slice(1)) expect((await readAll(store)).map((e) => e.eventId)).toEqual(log0.map((e) => e.eventId));
      } finally {
        await log.close();
      }
    });

    test("concurrent writers on one todo: versions stay one event each", async () => {
      const log = await open();
      try {
        const { todo } = await log.stores[0]!.create(fields("shared"));
        const writers = log.atomicAcrossStores ? log.stores : log.stores.map(() => log.stores[0]!);
        await Promise.all(writers.flatMap((store, w) => Array.from({ length: 10 }, (_, i) => store.update(todo.id, { title: `w${w} ${i}` }))));
        await log.settle();
        const events = await readAll(log.stores[0]!);
        expectWellFormed(events);
        expect(events).toHaveLength(1 + 10 * writers.length);
        expect(events.at(-1)!.todo).toEqual((await log.stores[0]!.get(todo.id))!);
      } finally {
        await log.close();
      }
    });

    test("replaying the log into an empty store rebuilds the same todos and the same log", async () => {
      const log = await open();
      const target = await log.fresh();
      try {
        const store = log.stores[0]!;
        const ids: string[] = [];
        for (let i = 0; i < 40; i++) {
          const kind = ids.length === 0 ? 0 : (i * 7) % 5;
          const id = ids[(i * 13) % Math.max(ids.length, 1)];
          if (kind <= 1 || !id) ids.push((await store.create(fields(`t${i}`, { tags: i % 2 ? ["odd"] : [], reminder: i % 3 ? i * 1000 : null }))).todo.id);
          else if (kind <= 3) await store.update(id, i % 2 ? { description: `d${i}` } : { state: "STATE_DONE", tags: [] });
          else {
            await store.delete(id);
            ids.splice(ids.indexOf(id), 1);
          }
        }
        await log.settle();
        const events = await readAll(store);
        for (let i = 0; i < events.length; i += 9) await target.replay(events.slice(i, i + 9));
        expect(await readAll(target)).toEqual(events);
        expect(await allTodos(target)).toEqual(await allTodos(store));
      } finally {
        await target.close();
        await log.close();
      }
    });

    // Reminders: `now` is passed in, so "due" needs no waiting. Reminders lie ahead of the real clock,
    // as a user's do, so nothing but these calls could fire them.
    const ahead = (minutes: number) => Date.now() + minutes * 60_000;

    test("a due reminder fires once, at the todo's version, without changing the todo", async () => {
      const log = await open();
      try {
        const store = log.stores[0]!;
        const at = ahead(10);
        const { todo } = await store.create(fields("remind me", { reminder: at }));
        expect(await store.nextReminderDue()).toBe(at);
        expect(await store.fireDueReminders(at - 1, 10)).toEqual([]);
        const [fired, ...more] = await store.fireDueReminders(at, 10);
        expect(more).toEqual([]);
        expect(fired).toMatchObject({ kind: "reminder_due", todoId: todo.id, version: 1, reminder: at, todo });
        expect(await store.get(todo.id)).toEqual(todo);
        expect(await store.nextReminderDue()).toBeNull();
        for (const other of log.stores) expect(await other.fireDueReminders(ahead(60), 10)).toEqual([]);
        await log.settle();
        const events = await readAll(store);
        expect(events.map((e) => [e.kind, e.version, e.reminder])).toEqual([
          ["created", 1, undefined],
          ["reminder_due", 1, at],
        ]);
        expect(events[1]).toEqual({ ...fired!, position: 2 });
      } finally {
        await log.close();
      }
    });

    test("store objects firing the same reminders at once: each is in the log once", async () => {
      const log = await open();
      try {
        const at = ahead(10);
        const ids = new Set<string>();
        for (let i = 0; i < 30; i++) ids.add((await log.stores[i % log.stores.length]!.create(fields(`r${i}`, { reminder: at + i }))).todoId);
        const fired = (await Promise.all(log.stores.map((store) => store.fireDueReminders(ahead(20), 7).then(async (first) => [...first, ...(await store.fireDueReminders(ahead(20), 100))])))).flat();
        // Atomic stores fire each once; without it two could both fire one reminder, and the log keeps only the first.
        if (log.atomicAcrossStores) expect(fired).toHaveLength(30);
        await log.settle();
        const events = await readAll(log.stores[0]!);
        expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i + 1));
        expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
        const reminders = events.filter((e) => e.kind === "reminder_due");
        expect(reminders.map((e) => e.todoId).sort()).toEqual([...ids].sort());
        expect(reminders.map((e) => [e.version, e.reminder])).toEqual(reminders.map((e) => [1, events.find((c) => c.todoId === e.todoId)!.todo.reminder ?? undefined]));
      } finally {
        await log.close();
      }
    }, 60_000);

    test("moving a reminder arms it again; a write that keeps it does not", async () => {
      const log = await open();
      try {
        const store = log.stores[0]!;
        const first = ahead(10);
        const { todo } = await store.create(fields("moved", { reminder: first }));
        expect(await store.fireDueReminders(first, 10)).toHaveLength(1);
        await store.update(todo.id, { title: "renamed" });
        await store.update(todo.id, { reminder: first }); // set, but to the time that fired
        expect(await store.fireDueReminders(ahead(60), 10)).toEqual([]);
        const second = ahead(20);
        await store.update(todo.id, { reminder: second });
        expect(await store.nextReminderDue()).toBe(second);
        expect(await store.fireDueReminders(second - 1, 10)).toEqual([]);
        const [again] = await store.fireDueReminders(second, 10);
        expect(again).toMatchObject({ kind: "reminder_due", version: 4, reminder: second });
        expect((await store.get(todo.id))!.version).toBe(4);
        await log.settle();
        expect((await readAll(store)).map((e) => [e.kind, e.version])).toEqual([
          ["created", 1],
          ["reminder_due", 1],
          ["updated", 2],
          ["updated", 3],
          ["updated", 4],
          ["reminder_due", 4],
        ]);
      } finally {
        await log.close();
      }
    });

    test("no reminder fires for a todo deleted, or while it is done; a todo reopened after its reminder passed is reminded", async () => {
      const log = await open();
      try {
        const store = log.stores[0]!;
        const at = ahead(10);
        const done = await store.create(fields("done", { reminder: at }));
        const deleted = await store.create(fields("deleted", { reminder: at }));
        const cleared = await store.create(fields("cleared", { reminder: at }));
        await store.update(done.todoId, { state: "STATE_DONE" });
        await store.delete(deleted.todoId);
        await store.update(cleared.todoId, { reminder: null });
        expect(await store.nextReminderDue()).toBeNull();
        expect(await store.fireDueReminders(ahead(20), 10)).toEqual([]);
        // Not done any more, with a reminder that passed and never fired: it is overdue, and reminded once.
        const reopened = await store.update(done.todoId, { state: "STATE_NOT_STARTED" });
        expect(await store.nextReminderDue()).toBe(at);
        expect(await store.fireDueReminders(ahead(30), 10)).toMatchObject([{ kind: "reminder_due", todoId: done.todoId, version: reopened.version, reminder: at }]);
        expect(await store.fireDueReminders(ahead(40), 10)).toEqual([]);
        await log.settle();
        expect((await readAll(store)).filter((e) => e.kind === "reminder_due").map((e) => e.todoId)).toEqual([done.todoId]);
      } finally {
        await log.close();
      }
    });

    test("a replayed store keeps which reminders fired: only those that had not fire there", async () => {
      const log = await open();
      const target = await log.fresh();
      try {
        const store = log.stores[0]!;
        const early = ahead(10);
        const late = ahead(20);
        const fired = await store.create(fields("fired", { reminder: early }));
        const waiting = await store.create(fields("waiting", { reminder: late }));
        expect(await store.fireDueReminders(early, 10)).toHaveLength(1);
        await store.update(fired.todoId, { description: "after it fired" });
        await log.settle();
        const events = await readAll(store);
        for (let i = 0; i < events.length; i += 2) await target.replay(events.slice(i, i + 2));
        expect(await readAll(target)).toEqual(events);
        expect(await allTodos(target)).toEqual(await allTodos(store));
        expect(await target.nextReminderDue()).toBe(late);
        expect((await target.fireDueReminders(ahead(60), 10)).map((c) => c.todoId)).toEqual([waiting.todoId]);
      } finally {
        await target.close();
        await log.close();
      }
    });
  });
}
