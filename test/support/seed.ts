// Data directories holding many todos, or a long log, written straight into the embedded store's file
// (or through its replay): far faster than writing them through the API, which fsyncs each write.
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store";
import { changeOf } from "../../src/todos/changes";
import type { TodoEvent } from "../../src/todos/ports";

/** Todo i has id i in 24 hex digits, was created at i ms, and has the fields `todo(i)` gives. */
export async function seededDataDir(count: number, todo: (i: number) => { title: string; description?: string; tags?: string[]; state?: string }): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "todo-seeded-"));
  await SqliteStore.open(dataDir).close();
  const db = new Database(join(dataDir, "todos.db"));
  const insert = db.prepare("INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, 1)");
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const t = todo(i);
      insert.run(seededId(i), t.title, t.description ?? "", JSON.stringify(t.tags ?? []), t.state ?? "STATE_NOT_STARTED", i, i);
    }
  })();
  db.close();
  return dataDir;
}

export const seededId = (i: number) => i.toString(16).padStart(24, "0");

/**
 * A data directory whose log holds `count` events of about `bytes` each: one todo created, then updated
 * `count - 1` times (its state toggled, its description of `bytes` characters in every event). Written
 * through the store's replay, in transactions of 10,000 events: 100,000 take about 2 s, where as many
 * creates would index every description for search.
 */
export async function seededLog(count: number, bytes: number): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "todo-seeded-log-"));
  const store = SqliteStore.open(dataDir);
  const { todo } = await store.create({ title: "changed often", description: "d".repeat(bytes), tags: [], reminder: null, state: "STATE_NOT_STARTED" });
  for (let first = 2; first <= count; first += 10_000) {
    const events: TodoEvent[] = [];
    for (let version = first; version < first + 10_000 && version <= count; version++) {
      const time = todo.createTime + version;
      const state = version % 2 === 0 ? "STATE_IN_PROGRESS" : "STATE_NOT_STARTED";
      events.push({ ...changeOf("updated", { ...todo, state, version, updateTime: time }, { version, time, changedFields: ["state"] }), position: version });
    }
    await store.replay(events);
  }
  await store.close();
  return dataDir;
}
