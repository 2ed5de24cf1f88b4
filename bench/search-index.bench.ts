// SearchTodos on the embedded store over many todos: the first page of 50 for each pattern of the
// issue's mix and each filter (tags, states, a word: issue 22), through SqliteStore.search (the search
// worker, the indexes, RE2 verification) - everything the daemon does but the gRPC transport. Not a
// test: its numbers depend on the machine.
//
//   bun bench/search-index.bench.ts [todos=100000] [runs=30]
//   KEEP=1 …: keep the data directory; BENCH_DIR=<it> …: search it again (todos: its count) without seeding
//   BASELINE=<another checkout>/src/store/sqlite/search.ts …: also time that searchTodos and this one
//     directly on a connection of their own (no worker), taking turns on the same file: an A/B in one run
//
// The todos (search-corpus.ts) are written straight into the data file, in one transaction; the
// triggers keep the trigram and tag indexes as they would for the daemon's writes.
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { searchTodos } from "../src/store/sqlite/search";
import { SqliteStore } from "../src/store/sqlite/sqlite-store";
import type { SearchPage, SearchQuery } from "../src/todos/ports";
import { benchTodo, FILTERS, PATTERNS, quantile } from "./search-corpus";

const count = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 30);

const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), "todo-search-bench-"));
const path = join(dir, "todos.db");
const t0 = performance.now();
if (!process.env.BENCH_DIR) {
  await SqliteStore.open(dir).close();
  const db = new Database(path);
  const insert = db.prepare("INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version, number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)");
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const t = benchTodo(i, count);
      const time = 1_700_000_000_000 + i;
      insert.run(i.toString(16).padStart(24, "0"), t.title, t.description, JSON.stringify(t.tags), i % 3 ? time : null, t.state, time, time, i + 1);
    }
  })();
  db.close();
  console.log(`seeded ${count} todos in ${Math.round(performance.now() - t0)} ms; file ${Math.round(statSync(path).size / 2 ** 20)} MiB`);
}
const opening = performance.now();
const store = SqliteStore.open(dir, { searchBudgetMs: 60_000 });
// A data file of an earlier schema (BENCH_DIR) is upgraded here: the tag index's migration, for one.
console.log(`opened in ${Math.round(performance.now() - opening)} ms`);

type Search = (q: SearchQuery) => SearchPage | Promise<SearchPage>;
const searches: [string, Search][] = [["store", (q) => store.search(q)]];
if (process.env.BASELINE) {
  const baseline = (await import(process.env.BASELINE)) as { searchTodos: typeof searchTodos };
  const open = () => {
    const db = new Database(path, { readonly: true, strict: true });
    db.exec("PRAGMA mmap_size = 1073741824");
    return db;
  };
  const [a, b] = [open(), open()];
  searches.push(["baseline", (q) => baseline.searchTodos(a, q)], ["this", (q) => searchTodos(b, q)]);
}

const query = (overrides: Partial<SearchQuery>): SearchQuery => ({ tags: [], states: [], order: { field: "create_time", descending: false }, limit: 50, ...overrides });
const cases = [
  ...PATTERNS.map(({ name, pattern }) => ({ name, q: query({ pattern }) })),
  ...FILTERS.map(({ name, tags, states, pattern }) => ({ name, q: query({ tags, states, pattern }) })),
];
for (const [, search] of searches) await search(query({ pattern: "warm-up" }));
const results: Record<string, unknown>[] = [];
for (const { name, q } of cases) {
  const times = new Map<string, number[]>(searches.map(([label]) => [label, []]));
  const found = new Map<string, number>();
  const n = q.pattern?.includes("\\d{5}") && count > 200_000 ? Math.min(runs, 5) : runs;
  // The implementations take turns, so the machine's load falls on each alike.
  for (let r = 0; r < n; r++)
    for (const [label, search] of searches) {
      const started = performance.now();
      found.set(label, (await search(q)).todos.length);
      times.get(label)!.push(performance.now() - started);
    }
  for (const [label, t] of times) {
    t.sort((x, y) => x - y);
    results.push({ name, by: label, found: found.get(label), runs: n, min_ms: +t[0]!.toFixed(1), p50_ms: +quantile(t, 0.5).toFixed(1), p99_ms: +quantile(t, 0.99).toFixed(1) });
  }
}
console.table(results);
// The machine's other work shows in every figure: say how busy it was.
console.log(`${count} todos; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
await store.close();
if (process.env.KEEP || process.env.BENCH_DIR) console.log(`kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
