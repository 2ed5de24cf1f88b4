// SearchTodos on MongoDB (a private FerretDB 1.24, SQLite backend, as the tests start it) over many
// todos: the first page of 50 for each pattern of the mix (search-corpus.ts), through MongoStore.search.
// The regex runs on the server ($regex, Go's RE2 in FerretDB) over every document the other filters
// leave: no index serves an unanchored pattern. Not a test: its numbers depend on the machine.
//
//   bun bench/search-mongo.bench.ts [todos=100000] [runs=5]
import { randomUUID } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { startFerretDb } from "../test/support/ferretdb";
import { findTool } from "../test/support/tools";
import { MongoStore } from "../src/store/mongo";
import type { TodoEvent } from "../src/todos/ports";
import { benchTodo, PATTERNS, quantile } from "./search-corpus";

const count = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 5);
const binary = findTool("ferretdb");
if (!binary) throw new Error("no ferretdb binary: run scripts/install-tools.sh ferretdb");
const server = await startFerretDb(binary);
const store = MongoStore.open({ url: server.url.replace(/^(mongodb:\/\/[^/?]*)(\/[^?]*)?/, "$1/search_bench"), searchTimeoutMS: 600_000, callTimeoutMS: 600_000 });
let t0 = performance.now();
// Replayed as created events: the store's own bulk path (slices of 100).
for (let from = 0; from < count; from += 1_000) {
  const events: TodoEvent[] = [];
  for (let i = from; i < Math.min(count, from + 1_000); i++) {
    const time = 1_700_000_000_000 + i;
    const todo = { ...benchTodo(i, count), id: i.toString(16).padStart(24, "0"), tags: [], reminder: i % 3 ? time : null, state: "STATE_NOT_STARTED" as const, createTime: time, updateTime: time, version: 1, number: i + 1 };
    events.push({ position: i + 1, eventId: randomUUID(), kind: "created", todoId: todo.id, version: 1, time, actor: "", changedFields: [], todo });
  }
  await store.replay(events);
}
console.log(`seeded ${count} todos in ${Math.round(performance.now() - t0)} ms`);
const results: Record<string, unknown>[] = [];
for (const { name, pattern } of PATTERNS) {
  const times: number[] = [];
  let found = 0;
  for (let r = 0; r < runs; r++) {
    t0 = performance.now();
    found = (await store.search({ pattern, tags: [], states: [], order: { field: "create_time", descending: false }, limit: 50 })).todos.length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  results.push({ name, pattern, todos: count, found, runs, min_ms: +times[0]!.toFixed(1), p50_ms: +quantile(times, 0.5).toFixed(1), p99_ms: +quantile(times, 0.99).toFixed(1) });
}
console.table(results);
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
await store.close();
await server.dispose();
