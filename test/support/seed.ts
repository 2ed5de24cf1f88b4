// A data directory holding many todos, written straight into the embedded store's file: far faster than
// creating them through the API, which fsyncs each one.
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store";

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
