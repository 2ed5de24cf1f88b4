import { describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { describeStoreContract } from "../../../test/contracts/store-contract";
import { describeLogContract } from "../../../test/contracts/log-contract";
import { downgrade } from "../../../test/support/older-schema";
import { SqliteStore } from "./sqlite-store";

const tempDir = () => mkdtempSync(join(tmpdir(), "todo-sqlite-"));

describeStoreContract("sqlite", async () => {
  const dir = tempDir();
  const store = SqliteStore.open(dir);
  const db = new Database(join(dir, "todos.db"));
  return {
    store,
    clear: async () => void db.exec("DELETE FROM todos; DELETE FROM events"),
    close: async () => {
      db.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeLogContract("sqlite", async () => {
  const dirs = [tempDir()];
  const stores = [SqliteStore.open(dirs[0]!), SqliteStore.open(dirs[0]!), SqliteStore.open(dirs[0]!)];
  const opened = [...stores];
  return {
    stores,
    settle: async () => {},
    atomicAcrossStores: true,
    fresh: async () => {
      dirs.push(tempDir());
      const store = SqliteStore.open(dirs.at(-1)!);
      opened.push(store);
      return store;
    },
    close: async () => {
      for (const store of opened) await store.close().catch(() => {});
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe("sqlite store", () => {
  test("uses WAL with full fsync and records every write in the events table", async () => {
    const dir = tempDir();
    const store = SqliteStore.open(dir);
    const { todo } = await store.create({ title: "t", description: "", tags: [], reminder: null, state: "STATE_DONE" });
    await store.update(todo.id, { title: "u" });
    await store.delete(todo.id);
    await store.close();
    const db = new Database(join(dir, "todos.db"));
    expect(db.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    const changes = db.query("SELECT todo_id, version, kind FROM events ORDER BY position").all();
    expect(changes).toEqual([
      { todo_id: todo.id, version: 1, kind: "created" },
      { todo_id: todo.id, version: 2, kind: "updated" },
      { todo_id: todo.id, version: 3, kind: "deleted" },
    ]);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a data file of release 0.1.0 upgrades in place: its changes become the event log, and writes continue it", async () => {
    // test/fixtures/todos-0.1.0.db: made by `todo serve` of release 0.1.0 (commit 86a3f94) with the CLI:
    // three creates, two updates, a delete, an import of 5dc58ee5…, its delete, and its import again.
    const dir = tempDir();
    copyFileSync(join(import.meta.dir, "../../../test/fixtures/todos-0.1.0.db"), join(dir, "todos.db"));
    const before = new Database(join(dir, "todos.db"), { readonly: true });
    const todosBefore = before.query<{ id: string; version: number }, []>("SELECT * FROM todos ORDER BY create_time, id").all();
    before.close();
    const store = SqliteStore.open(dir);
    const events = await store.readEvents(0, 100);
    expect(events.map((e) => [e.position, e.kind, e.version])).toEqual([
      [1, "created", 1],
      [2, "created", 1],
      [3, "created", 1],
      [4, "updated", 2],
      [5, "updated", 2],
      [6, "deleted", 2],
      [7, "created", 1],
      [8, "deleted", 2],
      [9, "created", 3],
    ]);
    expect(events.map((e) => e.changedFields)).toEqual([[], [], [], ["state"], ["title", "description"], [], [], [], []]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(9);
    // Every todo is as it was, but the id created again, whose versions now continue after its delete.
    const reimported = "5dc58ee5d954d9bc69be5523";
    for (const row of todosBefore) {
      const todo = (await store.get(row.id))!;
      expect(todo.version).toBe(row.id === reimported ? 3 : row.version);
      // The events were logged before todos had numbers.
      expect(events.findLast((e) => e.todoId === row.id)!.todo).toEqual({ ...todo, number: 0 });
    }
    // The todos that were there are numbered 1, 2, … in the order they were created; the next create continues.
    expect(await Promise.all(todosBefore.map(async (row) => (await store.get(row.id))!.number))).toEqual(todosBefore.map((_, i) => i + 1));
    const change = await store.update(reimported, { title: "after the upgrade" }, { expectedVersion: 3 });
    expect([change.version, (await store.readEvents(9, 10)).map((e) => [e.position, e.version])]).toEqual([4, [[10, 4]]]);
    expect((await store.create({ title: "new", description: "", tags: [], reminder: null, state: "STATE_NOT_STARTED" })).todo.number).toBe(todosBefore.length + 1);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("upgrading to reminders that fire arms the reminders still ahead, not those that passed before", async () => {
    const dir = tempDir();
    const store = SqliteStore.open(dir);
    const fields = { description: "", tags: [], state: "STATE_NOT_STARTED" as const };
    const passed = await store.create({ ...fields, title: "passed", reminder: Date.now() - 60_000 });
    const ahead = await store.create({ ...fields, title: "ahead", reminder: Date.now() + 60_000 });
    await store.close();
    // Back to schema version 3, as the release before reminders left its files.
    const db = new Database(join(dir, "todos.db"));
    downgrade(db, 3);
    db.close();
    const upgraded = SqliteStore.open(dir);
    expect(await upgraded.nextReminderDue()).toBe(ahead.todo.reminder);
    expect((await upgraded.fireDueReminders(Date.now() + 120_000, 10)).map((c) => c.todoId)).toEqual([ahead.todoId]);
    expect((await upgraded.readEvents(0, 10)).map((e) => [e.kind, e.todoId])).toEqual([
      ["created", passed.todoId],
      ["created", ahead.todoId],
      ["reminder_due", ahead.todoId],
    ]);
    await upgraded.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("an unwritable data directory is a clear error", () => {
    expect(() => SqliteStore.open("/proc/todo-cannot-exist")).toThrow(/cannot open the data directory \/proc\/todo-cannot-exist: .*set TODO_DATA_DIR/);
  });
});
