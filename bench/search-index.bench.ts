// SearchTodos on the embedded store over many todos: the first page of 50 for each pattern of the
// issue's mix, through SqliteStore.search (the search worker, the trigram index, RE2 verification) -
// everything the daemon does but the gRPC transport. Not a test: its numbers depend on the machine.
//
//   bun bench/search-index.bench.ts [todos=100000] [runs=30]
//   KEEP=1 …: keep the data directory; BENCH_DIR=<it> …: search it again (todos: its count) without seeding
//
// The todos (search-corpus.ts) are written straight into a data file of schema version 2 (before the
// index), so opening the store runs the index's migration on them: its time is printed too.
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../src/store/sqlite/sqlite-store";
import type { SearchQuery } from "../src/todos/ports";
import { benchTodo, PATTERNS, quantile } from "./search-corpus";

const count = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 30);

// BENCH_DIR: a data directory an earlier run kept (KEEP=1), searched again without seeding.
const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), "todo-search-bench-"));
const path = join(dir, "todos.db");
let t0 = performance.now();
if (!process.env.BENCH_DIR) {
  await SqliteStore.open(dir).close();
  const db = new Database(path);
  db.exec("DROP TRIGGER todos_text_insert; DROP TRIGGER todos_text_update; DROP TRIGGER todos_text_delete; DROP TABLE todos_text; PRAGMA user_version = 2");
  const insert = db.prepare("INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version) VALUES (?, ?, ?, '[]', ?, 'STATE_NOT_STARTED', ?, ?, 1)");
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const t = benchTodo(i, count);
      insert.run(i.toString(16).padStart(24, "0"), t.title, t.description, i % 3 ? 1_700_000_000_000 + i : null, 1_700_000_000_000 + i, 1_700_000_000_000 + i);
    }
  })();
  db.close();
  console.log(`seeded ${count} todos in ${Math.round(performance.now() - t0)} ms`);
}
t0 = performance.now();
const store = SqliteStore.open(dir, { searchBudgetMs: 60_000 });
console.log(`opened in ${Math.round(performance.now() - t0)} ms (a fresh seed: the migration that indexes its rows); file ${Math.round(statSync(path).size / 2 ** 20)} MiB`);

const query = (pattern: string): SearchQuery => ({ pattern, tags: [], states: [], order: { field: "create_time", descending: false }, limit: 50 });
await store.search(query("warm-up"));
const results: Record<string, unknown>[] = [];
for (const { name, pattern } of PATTERNS) {
  const times: number[] = [];
  let found = 0;
  const n = pattern.includes("\\d{5}") && count > 200_000 ? Math.min(runs, 5) : runs;
  for (let r = 0; r < n; r++) {
    const started = performance.now();
    found = (await store.search(query(pattern))).todos.length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  results.push({ name, pattern, todos: count, found, runs: n, min_ms: +times[0]!.toFixed(1), p50_ms: +quantile(times, 0.5).toFixed(1), p99_ms: +quantile(times, 0.99).toFixed(1) });
}
console.table(results);
// The machine's other work shows in every figure: say how busy it was.
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
await store.close();
if (process.env.KEEP || process.env.BENCH_DIR) console.log(`kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
