// SIGTERM lets a call already running finish: a pattern search over many rows (scanned in steps) is
// in flight when the signal arrives, and still answers OK before the daemon exits 0. The client is
// Node.js (see drain-client.mjs).
import { expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store";
import { startDaemon } from "../support/daemon";

const ROWS = 60_000;

test("an in-flight call completes during the drain", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "todo-drain-"));
  await SqliteStore.open(dataDir).close();
  const db = new Database(join(dataDir, "todos.db"));
  const insert = db.prepare("INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version) VALUES (?, ?, ?, '[]', NULL, 'STATE_NOT_STARTED', ?, ?, 1)");
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) insert.run(i.toString(16).padStart(24, "0"), `todo ${i}`, "x".repeat(200), i, i);
  })();
  db.close();

  const daemon = await startDaemon({ dataDir });
  const client = Bun.spawn(["node", join(import.meta.dir, "drain-client.mjs"), daemon.addr, String(daemon.pid)], { stdout: "pipe", stderr: "inherit" });
  const outcome = JSON.parse(await new Response(client.stdout).text());
  expect(outcome).toMatchObject({ code: 0, todos: 0 });
  expect(await daemon.process.exited).toBe(0);
  const messages = daemon.logs().map((l) => (l.msg === "call" ? `call ${l.method}` : l.msg));
  // The search's access-log line comes after the drain began: it was in flight, and it finished.
  expect(messages.indexOf("call /todo.v1.TodoService/SearchTodos")).toBeGreaterThan(messages.indexOf("draining"));
  expect(messages.at(-1)).toBe("stopped");
  console.log(`search over ${ROWS} rows took ${outcome.ms} ms and finished during the drain`);
});
