// Load scenarios against todo.v1.TodoService from Node.js's grpc-js, on ONE channel (one connection).
// Node, not Bun: Bun's own grpc-js client overflows its stack on a large burst, and against a server
// that advertises SETTINGS_HEADER_TABLE_SIZE=0 its HPACK encoder (oven-sh/bun#19152) makes the second
// concurrent call on a connection fail with COMPRESSION_ERROR; either would test the client instead.
// Each scenario prints one JSON line for the test to assert on.
//   node node-client.mjs burst <host:port> <todo id> <calls> <deadline seconds>
//   node node-client.mjs regex-dos <host:port> <todos> <pattern> <searches> <deadline seconds>
//   node node-client.mjs drain <host:port> <daemon pid> <deadline seconds>
import { createRequire } from "node:module";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");
const require = createRequire(join(root, "package.json"));
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

const [scenario, addr, ...args] = process.argv.slice(2);
const definition = protoLoader.loadSync("todo/v1/todo.proto", { includeDirs: [join(root, "proto")], keepCase: true, arrays: true, defaults: true });
const { TodoService } = grpc.loadPackageDefinition(definition).todo.v1;
const client = new TodoService(addr, grpc.credentials.createInsecure());

function call(method, request, deadline) {
  return new Promise((resolve, reject) => client[method](request, { deadline }, (error, response) => (error ? reject(error) : resolve(response))));
}

/** Every call at once; failures counted by status alone (their details carry timings). */
async function burst(id, calls, deadline) {
  const failed = {};
  let example;
  let ok = 0;
  await Promise.all(
    Array.from({ length: calls }, () =>
      call("GetTodo", { id }, deadline).then(
        (todo) => {
          if (todo.id === id) ok++;
          else failed["wrong todo"] = (failed["wrong todo"] ?? 0) + 1;
        },
        (error) => {
          failed[grpc.status[error.code]] = (failed[grpc.status[error.code]] ?? 0) + 1;
          example ??= error.details;
        },
      ),
    ),
  );
  return { calls, ok, failed, example };
}

/** Seeds `todos` todos whose text defeats a backtracking engine, then times GetTodo while `pattern` is searched `searches` times. */
async function regexDos(todos, pattern, searches, deadline) {
  const evil = `${"a".repeat(30)}!`;
  // Every write is fsynced: modest concurrency seeds much faster than one call at a time.
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < todos) {
        next++;
        await call("CreateTodo", { todo: { title: evil, description: evil } }, deadline);
      }
    }),
  );
  const probe = await call("CreateTodo", { todo: { title: "probe" } }, deadline);
  let searching = true;
  const started = performance.now();
  // Several searches back to back, so that many probes land while a scan runs.
  const search = (async () => {
    const pages = [];
    for (let i = 0; i < searches; i++) pages.push(await call("SearchTodos", { pattern, page_size: 1000 }, deadline));
    return pages;
  })().finally(() => (searching = false));
  const latencies = [];
  let duringSearch = 0;
  // At least 20 probes; bounded by the deadline and 5,000 probes.
  while ((searching || latencies.length < 20) && latencies.length < 5_000 && Date.now() < deadline) {
    const t0 = performance.now();
    if (searching) duringSearch++;
    const todo = await call("GetTodo", { id: probe.id }, deadline);
    latencies.push(performance.now() - t0);
    if (todo.id !== probe.id) throw new Error(`GetTodo answered ${todo.id}, not ${probe.id}`);
  }
  const pages = await search;
  return {
    seeded: todos,
    searches,
    searchMs: Math.round(performance.now() - started),
    found: pages.map((page) => page.todos.length),
    nextPageTokens: pages.map((page) => page.next_page_token),
    probes: latencies.length,
    duringSearch,
    maxMs: Math.round(Math.max(...latencies) * 10) / 10,
  };
}

/** Starts a long search, SIGTERMs the daemon once the search is in flight, and reports how it ended. */
async function drain(pid, deadline) {
  const search = call("SearchTodos", { pattern: "matches-nothing$" }, deadline).then(
    (page) => ({ code: 0, todos: page.todos.length }),
    (error) => ({ code: error.code, details: error.details }),
  );
  // The search scans in steps, so the daemon answers this meanwhile: the search is then in flight.
  await call("GetTodo", { id: "000000000000000000000000" }, deadline).catch(() => {});
  process.kill(Number(pid), "SIGTERM");
  return await search;
}

const started = performance.now();
let result;
if (scenario === "burst") {
  const [id, calls, seconds] = args;
  result = await burst(id, Number(calls), Date.now() + Number(seconds) * 1000);
} else if (scenario === "regex-dos") {
  const [todos, pattern, searches, seconds] = args;
  result = await regexDos(Number(todos), pattern, Number(searches), Date.now() + Number(seconds) * 1000);
} else if (scenario === "drain") {
  const [pid, seconds] = args;
  result = await drain(pid, Date.now() + Number(seconds) * 1000);
} else throw new Error(`unknown scenario ${scenario}`);
client.close();
console.log(JSON.stringify({ ...result, ms: Math.round(performance.now() - started) }));
