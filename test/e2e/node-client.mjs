// Load scenarios against todo.v1.TodoService from Node.js's grpc-js, on ONE channel (one connection).
// Node, not Bun: Bun's own grpc-js client overflows its stack on a large burst, and against a server
// that advertises SETTINGS_HEADER_TABLE_SIZE=0 its HPACK encoder (oven-sh/bun#19152) makes the second
// concurrent call on a connection fail with COMPRESSION_ERROR; either would test the client instead.
// Each scenario prints one JSON line for the test to assert on.
//   node node-client.mjs burst <host:port> <todo id> <calls> <deadline seconds>
//   node node-client.mjs regex-dos <host:port> <todos> <pattern> <searches> <deadline seconds>
//   node node-client.mjs search-stall <host:port> <id> <pattern> <search deadline seconds> <deadline seconds>
//   node node-client.mjs drain <host:port> <daemon pid> <deadline seconds>
//   node node-client.mjs writes <host:port> <concurrency> <seconds>    (until the daemon dies)
//   node node-client.mjs workload <host:port> <operations> <seed>
//   node node-client.mjs stalled-watch <host:port> <stall seconds> <seconds>
//   node node-client.mjs seed <host:port> <todos> <description length>
//   node node-client.mjs sigterm <host:port> <daemon pid> <concurrency> <seconds>
//   node node-client.mjs creates <host:port> <todos> <timeout seconds>   (all at once, retried as the CLI does)
import { randomBytes } from "node:crypto";
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

/**
 * Runs one search for `pattern` (limited by `searchSeconds`) and, while it runs, GetTodo of `id` one
 * call after another; reports the search's outcome and the GetTodo latencies.
 */
async function searchStall(id, pattern, searchSeconds, deadline) {
  const started = performance.now();
  let searching = true;
  const search = call("SearchTodos", { pattern, page_size: 10 }, Date.now() + searchSeconds * 1000)
    .then(
      (page) => ({ code: 0, todos: page.todos.length }),
      (error) => ({ code: grpc.status[error.code], details: error.details }),
    )
    .finally(() => (searching = false));
  const latencies = [];
  while (searching && Date.now() < deadline) {
    const t0 = performance.now();
    const todo = await call("GetTodo", { id }, deadline);
    latencies.push(performance.now() - t0);
    if (todo.id !== id) throw new Error(`GetTodo answered ${todo.id}, not ${id}`);
  }
  const outcome = await search;
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN) * 10) / 10;
  return { search: outcome, searchMs: Math.round(performance.now() - started), probes: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
}

/** Starts a long search, SIGTERMs the daemon once the search is in flight, and reports how it ended. */
async function drain(pid, deadline) {
  // No string of three characters to look up in the trigram index: the search checks every row.
  const search = call("SearchTodos", { pattern: "[0-9]{7}" }, deadline).then(
    (page) => ({ code: 0, todos: page.todos.length }),
    (error) => ({ code: error.code, details: error.details }),
  );
  // The search scans in steps, so the daemon answers this meanwhile: the search is then in flight.
  await call("GetTodo", { id: "000000000000000000000000" }, deadline).catch(() => {});
  process.kill(Number(pid), "SIGTERM");
  return await search;
}

/**
 * Creates and updates from `concurrency` loops until calls stop succeeding (the test kills the daemon)
 * or time runs out; reports every write the daemon acknowledged, as (todo id, version).
 */
async function writes(concurrency, deadline) {
  const acknowledged = [];
  let failures = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      let mine = null;
      while (Date.now() < deadline && failures < 50) {
        try {
          const todo = mine && Math.random() < 0.5
            ? await call("UpdateTodo", { todo: { id: mine, title: `loop ${loop} again` }, update_mask: { paths: ["title"] } }, Date.now() + 5000)
            : await call("CreateTodo", { todo: { title: `loop ${loop}` } }, Date.now() + 5000);
          mine = todo.id;
          acknowledged.push([todo.id, Number(todo.etag)]);
        } catch {
          failures++;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    }),
  );
  return { acknowledged, failures };
}

/** A deterministic random mix of creates, imports (todo_id), updates with and without masks, and deletes. */
async function workload(operations, seed) {
  let state = Number(seed) || 1;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const live = [];
  const counts = {};
  const deadline = () => Date.now() + 10_000;
  for (let i = 0; i < operations; i++) {
    const roll = live.length === 0 ? 0 : random();
    const tags = ["home", "work", "k8s", "golang"].filter(() => random() < 0.3);
    let kind;
    if (roll < 0.3) {
      kind = "create";
      live.push((await call("CreateTodo", { todo: { title: `todo ${i}`, description: random() < 0.5 ? `about ${i}` : "", tags, state: pick(["STATE_NOT_STARTED", "STATE_DONE"]) } }, deadline())).id);
    } else if (roll < 0.4) {
      kind = "import";
      const id = [...Array(24)].map(() => Math.floor(random() * 16).toString(16)).join("");
      await call("CreateTodo", { todo_id: id, todo: { title: `imported ${i}`, reminder: { seconds: String(1_700_000_000 + i), nanos: 0 } } }, deadline());
      live.push(id);
    } else if (roll < 0.6) {
      kind = "update with mask";
      await call("UpdateTodo", { todo: { id: pick(live), description: random() < 0.5 ? "" : `changed ${i}`, tags }, update_mask: { paths: ["description", "tags"] } }, deadline());
    } else if (roll < 0.85) {
      kind = "update without mask";
      await call("UpdateTodo", { todo: { id: pick(live), title: `renamed ${i}`, state: pick(["STATE_IN_PROGRESS", "STATE_DONE"]) } }, deadline());
    } else {
      kind = "delete";
      const id = live.splice(Math.floor(random() * live.length), 1)[0];
      await call("DeleteTodo", { id }, deadline());
    }
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return { operations, counts, live: live.length };
}

/**
 * Watches the whole log, stops reading after the first message for `stallSeconds`, then reads on;
 * reports how many events came and how the stream ended.
 */
async function stalledWatch(stallSeconds, deadline) {
  return await new Promise((resolve) => {
    const call = client.WatchTodos({ after_position: 0 });
    let messages = 0;
    let lastPosition = null;
    const timer = setTimeout(() => resolve({ messages, ended: "still open at the deadline" }), deadline - Date.now());
    call.on("data", (message) => {
      messages++;
      lastPosition = String(message.position);
      if (messages === 1) {
        call.pause();
        setTimeout(() => call.resume(), stallSeconds * 1000);
      }
    });
    call.on("error", (error) => {
      clearTimeout(timer);
      resolve({ messages, lastPosition, code: grpc.status[error.code], details: error.details });
    });
  });
}

/** Creates `todos` todos with descriptions of `length` characters, 16 calls at a time. */
async function seed(todos, length) {
  let next = 0;
  const description = "x".repeat(length);
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < todos) await call("CreateTodo", { todo: { title: `seeded ${next++}`, description } }, Date.now() + 10_000);
    }),
  );
  return { seeded: todos };
}

/**
 * `concurrency` loops of creates, gets and pattern searches; SIGTERM to the daemon once calls are
 * flowing; the loops go on until calls stop succeeding or time runs out. Reports the outcomes of calls
 * started before and after the signal, by status.
 */
async function sigterm(pid, concurrency, deadline) {
  const before = {};
  const after = {};
  let signalledAt = null;
  const count = (startedAt, code) => {
    const bucket = signalledAt !== null && startedAt >= signalledAt ? after : before;
    bucket[code] = (bucket[code] ?? 0) + 1;
  };
  const probe = await call("CreateTodo", { todo: { title: "probe" } }, deadline);
  let stop = false;
  const loops = Array.from({ length: concurrency }, async (_, loop) => {
    for (let i = 0; !stop && Date.now() < deadline; i++) {
      const startedAt = performance.now();
      const kind = (loop + i) % 3;
      const request =
        kind === 0
          ? call("CreateTodo", { todo: { title: `load ${loop}.${i}`, description: "x".repeat(200) } }, Date.now() + 20_000)
          : kind === 1
            ? call("GetTodo", { id: probe.id }, Date.now() + 20_000)
            : call("SearchTodos", { pattern: "matches-nothing$", page_size: 1000 }, Date.now() + 20_000);
      try {
        await request;
        count(startedAt, "OK");
      } catch (error) {
        count(startedAt, grpc.status[error.code]);
        if (signalledAt !== null) await new Promise((r) => setTimeout(r, 50));
      }
      if (signalledAt !== null && performance.now() - signalledAt > 30_000) stop = true;
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  signalledAt = performance.now();
  process.kill(Number(pid), "SIGTERM");
  // Once the daemon is gone, calls fail at once: give the loops a moment, then stop them.
  await new Promise((r) => setTimeout(r, 100));
  const exited = new Promise((resolve) => {
    const poll = setInterval(() => {
      try {
        process.kill(Number(pid), 0);
      } catch {
        clearInterval(poll);
        resolve(Math.round(performance.now() - signalledAt));
      }
    }, 20);
  });
  const exitMs = await exited;
  await new Promise((r) => setTimeout(r, 500));
  stop = true;
  await Promise.all(loops);
  return { concurrency, before, after, exitMs };
}

/**
 * `todos` creates at once, each as `todo add` sends it (src/cli/retry.ts, src/cli/create-todo.ts): a
 * client-chosen id, retried with jittered backoff on UNAVAILABLE, DEADLINE_EXCEEDED and UNKNOWN until its
 * timeout; after such a failure, ALREADY_EXISTS for its id is its own first attempt when the stored todo
 * is the one it sent. Reports every id sent, the acknowledged ones, and how each ended.
 */
async function creates(todos, timeoutSeconds) {
  const RETRIED = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.UNKNOWN]);
  const acknowledged = [];
  const sent = [];
  const failed = {};
  const retriedCodes = {};
  let retries = 0;
  let foundFirstAttempt = 0;
  let example;
  await Promise.all(
    Array.from({ length: todos }, async (_, i) => {
      const id = randomBytes(12).toString("hex");
      const todo = { title: `crash ${i}`, description: `sent as ${id}`, tags: ["crash"] };
      sent.push(id);
      const deadline = Date.now() + timeoutSeconds * 1000;
      let backoff = 50;
      for (let attempt = 0; ; attempt++) {
        try {
          const created = await call("CreateTodo", { todo_id: id, todo }, deadline);
          if (created.id !== id) throw new Error(`asked for ${id}, got ${created.id}`);
          acknowledged.push(id);
          return;
        } catch (failure) {
          let error = failure;
          if (attempt > 0 && error.code === grpc.status.ALREADY_EXISTS) {
            // The read's own failure is retried like the create's (the CLI does the same).
            const stored = await call("GetTodo", { id }, deadline).catch((e) => (RETRIED.has(e.code) ? e : null));
            if (stored instanceof Error) error = stored;
            else if (stored && stored.title === todo.title && stored.description === todo.description) {
              foundFirstAttempt++;
              acknowledged.push(id);
              return;
            }
          }
          const wait = backoff / 2 + Math.random() * (backoff / 2);
          if (!RETRIED.has(error.code) || Date.now() + wait >= deadline) {
            const name = grpc.status[error.code] ?? String(error.message);
            failed[name] = (failed[name] ?? 0) + 1;
            example ??= error.details ?? error.message;
            return;
          }
          retries++;
          retriedCodes[grpc.status[error.code]] = (retriedCodes[grpc.status[error.code]] ?? 0) + 1;
          await new Promise((resolve) => setTimeout(resolve, wait));
          backoff = Math.min(backoff * 2, 1000);
        }
      }
    }),
  );
  return { sent, acknowledged, retries, retriedCodes, foundFirstAttempt, failed, example };
}

const started = performance.now();
let result;
if (scenario === "burst") {
  const [id, calls, seconds] = args;
  result = await burst(id, Number(calls), Date.now() + Number(seconds) * 1000);
} else if (scenario === "regex-dos") {
  const [todos, pattern, searches, seconds] = args;
  result = await regexDos(Number(todos), pattern, Number(searches), Date.now() + Number(seconds) * 1000);
} else if (scenario === "search-stall") {
  const [id, pattern, searchSeconds, seconds] = args;
  result = await searchStall(id, pattern, Number(searchSeconds), Date.now() + Number(seconds) * 1000);
} else if (scenario === "drain") {
  const [pid, seconds] = args;
  result = await drain(pid, Date.now() + Number(seconds) * 1000);
} else if (scenario === "writes") {
  const [concurrency, seconds] = args;
  result = await writes(Number(concurrency), Date.now() + Number(seconds) * 1000);
} else if (scenario === "workload") {
  const [operations, seed] = args;
  result = await workload(Number(operations), seed);
} else if (scenario === "stalled-watch") {
  const [stallSeconds, seconds] = args;
  result = await stalledWatch(Number(stallSeconds), Date.now() + Number(seconds) * 1000);
} else if (scenario === "seed") {
  const [todos, length] = args;
  result = await seed(Number(todos), Number(length));
} else if (scenario === "sigterm") {
  const [pid, concurrency, seconds] = args;
  result = await sigterm(pid, Number(concurrency), Date.now() + Number(seconds) * 1000);
} else if (scenario === "creates") {
  const [todos, seconds] = args;
  result = await creates(Number(todos), Number(seconds));
} else throw new Error(`unknown scenario ${scenario}`);
client.close();
console.log(JSON.stringify({ ...result, ms: Math.round(performance.now() - started) }));
