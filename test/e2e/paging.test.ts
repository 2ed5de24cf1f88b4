// `todo search` follows pages: several calls on one connection. This is also the regression test for
// the client side of Bun's HPACK defect (src/cli/client.ts): without it every second call is reset.
import { expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store";
import { cli, startDaemon } from "../support/daemon";

test("search follows three pages in order, each todo once", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "todo-paging-"));
  await SqliteStore.open(dataDir).close();
  const db = new Database(join(dataDir, "todos.db"));
  const insert = db.prepare("INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version) VALUES (?, ?, '', '[\"bulk\"]', NULL, 'STATE_DONE', ?, ?, 1)");
  db.transaction(() => {
    for (let i = 0; i < 1_234; i++) insert.run(i.toString(16).padStart(24, "0"), `todo ${i}`, i, i);
  })();
  db.close();
  const daemon = await startDaemon({ dataDir });
  const search = await cli(["search", "--json", "--tags", "bulk", "--addr", daemon.addr]);
  expect(search.stderr).toBe("");
  const ids = search.stdout.trimEnd().split("\n").map((line) => JSON.parse(line).id);
  expect(ids).toEqual(Array.from({ length: 1_234 }, (_, i) => i.toString(16).padStart(24, "0")));
  const limited = await cli(["search", "--json", "--limit", "700", "--addr", daemon.addr]);
  expect(limited.stdout.trimEnd().split("\n")).toHaveLength(700);
  await daemon.stop();
});
