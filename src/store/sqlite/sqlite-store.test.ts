import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { describeStoreContract } from "../contract";
import { SqliteStore } from "./sqlite-store";

const tempDir = () => mkdtempSync(join(tmpdir(), "todo-sqlite-"));

describeStoreContract("sqlite", async () => {
  const dir = tempDir();
  const store = SqliteStore.open(dir);
  const db = new Database(join(dir, "todos.db"));
  return {
    store,
    clear: async () => void db.exec("DELETE FROM todos"),
    close: async () => {
      db.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe("sqlite store", () => {
  test("uses WAL with full fsync and records every write in the changes table", async () => {
    const dir = tempDir();
    const store = SqliteStore.open(dir);
    const { todo } = await store.create({ title: "t", description: "", tags: [], reminder: null, state: "STATE_DONE" });
    await store.update(todo.id, { title: "u" });
    await store.delete(todo.id);
    await store.close();
    const db = new Database(join(dir, "todos.db"));
    expect(db.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    const changes = db.query("SELECT todo_id, version, kind FROM changes ORDER BY seq").all();
    expect(changes).toEqual([
      { todo_id: todo.id, version: 1, kind: "created" },
      { todo_id: todo.id, version: 2, kind: "updated" },
      { todo_id: todo.id, version: 3, kind: "deleted" },
    ]);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("an unwritable data directory is a clear error", () => {
    expect(() => SqliteStore.open("/proc/todo-cannot-exist")).toThrow(/cannot open the data directory \/proc\/todo-cannot-exist: .*set TODO_DATA_DIR/);
  });
});
