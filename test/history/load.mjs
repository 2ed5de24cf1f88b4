// The history checker's clients (see docs/history.md): random create / get / update-with-etag / delete on
// a working set of todos, spread over the daemons, each call recorded with its invocation and response
// time and its outcome. Then the final todos and the whole event log, for the Go checker (checker.go).
// Node's grpc-js, not Bun's: Bun's http2 client has known defects (see test/e2e/node-client.mjs).
//   node load.mjs '<json config>'   config: { addrs, clients, todos, seconds, seed, out }
// Prints {"started": true} when the load starts (the harness times its faults from it), and one JSON
// summary line at the end; the history goes to config.out.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");
const require = createRequire(join(root, "package.json"));
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

const config = JSON.parse(process.argv[2]);
const definition = protoLoader.loadSync("todo/v1/todo.proto", { includeDirs: [join(root, "proto")], keepCase: true, arrays: true, defaults: true });
const { TodoService } = grpc.loadPackageDefinition(definition).todo.v1;

/** Fast reconnects: a restarted daemon is back within a second or two, and grpc-js's default backoff reaches minutes. */
const CHANNEL = { "grpc.use_local_subchannel_pool": 1, "grpc.initial_reconnect_backoff_ms": 100, "grpc.max_reconnect_backoff_ms": 500, "grpc.min_reconnect_backoff_ms": 100 };
const CALL_DEADLINE_MS = 3000;

// A seeded generator, so a failing run's workload can be replayed (its timing cannot).
let seed = config.seed >>> 0 || 1;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (n) => Math.floor(random() * n);

// Client-chosen ids (24 hex digits): creates with a given id make the working set fixed, and a retried
// create of the same id is detectable, so each todo is one partition of the history.
const ids = Array.from({ length: config.todos }, (_, i) => `${(0xa11ce000 + i).toString(16).padStart(24, "0")}`);

const start = process.hrtime.bigint();
const now = () => Number(process.hrtime.bigint() - start);

/** Definite outcomes: the call surely did (ok) or surely did not change anything. Any other status may have written. */
const DEFINITE = { NOT_FOUND: "not_found", FAILED_PRECONDITION: "mismatch", ABORTED: "mismatch", ALREADY_EXISTS: "exists", INVALID_ARGUMENT: "invalid" };

function invoke(client, method, request, deadlineMs = CALL_DEADLINE_MS) {
  return new Promise((resolve) =>
    client[method](request, { deadline: Date.now() + deadlineMs }, (error, response) => resolve(error ? { error } : { response })),
  );
}

const ops = [];

/** Runs one call and records it; returns the op. */
async function record(clientIndex, client, op, method, request) {
  op.client = clientIndex;
  op.call = now();
  const { error, response } = await invoke(client, method, request);
  op.ret = now();
  if (error) {
    const code = grpc.status[error.code] ?? String(error.code);
    op.code = code;
    op.outcome = DEFINITE[code] ?? "indefinite";
    op.details = String(error.details ?? "").slice(0, 200);
  } else {
    op.outcome = "ok";
    if (method !== "DeleteTodo") {
      op.version = Number(response.etag);
      op.gotTitle = response.title;
    }
  }
  ops.push(op);
  return op;
}

async function runClient(index, deadline) {
  const addr = config.addrs[index % config.addrs.length];
  const client = new TodoService(addr, grpc.credentials.createInsecure(), CHANNEL);
  /** The version of each todo this client last saw, used as the etag of its next write to it. */
  const known = new Map();
  let n = 0;
  while (now() < deadline) {
    const id = ids[pick(ids.length)];
    const roll = random();
    const title = `c${index}-${++n}`;
    let op;
    if (roll < 0.15) {
      op = await record(index, client, { kind: "create", id, title }, "CreateTodo", { todo: { title }, todo_id: id });
    } else if (roll < 0.5 || !known.has(id)) {
      op = await record(index, client, { kind: "get", id }, "GetTodo", { id });
    } else if (roll < 0.85) {
      const etag = known.get(id);
      op = await record(index, client, { kind: "update", id, etag, title }, "UpdateTodo", { todo: { id, title, etag: String(etag) }, update_mask: { paths: ["title"] } });
    } else {
      const etag = known.get(id);
      op = await record(index, client, { kind: "delete", id, etag }, "DeleteTodo", { id, etag: String(etag) });
    }
    if (op.outcome === "ok" && op.kind !== "delete") known.set(id, op.version);
    else known.delete(id);
    // A daemon that is down answers at once: pause, so an outage adds a few open-ended calls, not thousands.
    if (op.outcome === "indefinite") await new Promise((r) => setTimeout(r, 200));
  }
  client.close();
}

/** Reads each todo through the first daemon until it answers definitely: the final state, recorded as calls too. */
async function finalTodos() {
  const client = new TodoService(config.addrs[0], grpc.credentials.createInsecure(), CHANNEL);
  const final = {};
  const until = now() + 60e9;
  for (const id of ids) {
    for (;;) {
      const op = await record(config.clients, client, { kind: "get", id }, "GetTodo", { id });
      if (op.outcome === "ok") final[id] = { exists: true, version: op.version, title: op.gotTitle };
      else if (op.outcome === "not_found") final[id] = { exists: false };
      else if (now() < until) {
        await new Promise((r) => setTimeout(r, 250));
        continue;
      } else final[id] = { unknown: op.code };
      break;
    }
  }
  client.close();
  return final;
}

const kindOf = (e) => (e.created ? "created" : e.updated ? "updated" : e.deleted ? "deleted" : e.reminder_due ? "reminder_due" : "unknown");

/**
 * The event log from position 1 (WatchTodos after position 0), read until every acknowledged write's
 * event and each todo's final version are in it and nothing more came for a second, or until nothing
 * more came for `quietMs` (a log that lacks an event never completes). The checker judges what it got.
 */
async function eventLog(final, quietMs = 20_000, boundMs = 180_000) {
  const client = new TodoService(config.addrs[0], grpc.credentials.createInsecure(), CHANNEL);
  const events = [];
  const wanted = new Set();
  // A delete's event carries the deleted version plus one.
  for (const op of ops) if (op.outcome === "ok" && op.kind !== "get") wanted.add(`${op.id}/${op.kind === "delete" ? op.etag + 1 : op.version}`);
  for (const [id, todo] of Object.entries(final)) if (todo.exists) wanted.add(`${id}/${todo.version}`);
  const began = Date.now();
  let last = Date.now();
  let complete = false;
  await new Promise((resolve) => {
    const stream = client.WatchTodos({ after_position: "0" });
    const finish = () => {
      clearInterval(timer);
      stream.cancel();
      resolve();
    };
    stream.on("data", (message) => {
      const e = message.event;
      if (!e) return;
      last = Date.now();
      const kind = kindOf(e);
      const todo = e[kind]?.todo;
      events.push({ position: Number(e.position), id: e.todo_id, version: Number(e.version), kind, title: todo?.title ?? "" });
      wanted.delete(`${e.todo_id}/${Number(e.version)}`);
      if (wanted.size === 0) complete = true;
    });
    stream.on("error", () => finish());
    stream.on("end", () => finish());
    const timer = setInterval(() => {
      const quiet = Date.now() - last;
      if ((complete && quiet > 1000) || quiet > quietMs || Date.now() - began > boundMs) finish();
    }, 250);
  });
  client.close();
  return { events, complete };
}

console.log(JSON.stringify({ started: true }));
const deadline = now() + config.seconds * 1e9;
await Promise.all(Array.from({ length: config.clients }, (_, i) => runClient(i, deadline)));
const loadEnd = now();
const final = await finalTodos();
const logStart = Date.now();
const { events, complete } = await eventLog(final, config.logQuietMs);
const logSeconds = (Date.now() - logStart) / 1000;
const history = { config: { ...config, ids }, loadEnd, ops, final, events, logComplete: complete };
writeFileSync(config.out, JSON.stringify(history));
const count = (outcome) => ops.filter((o) => o.outcome === outcome).length;
console.log(JSON.stringify({ ops: ops.length, ok: count("ok"), indefinite: count("indefinite"), events: events.length, logComplete: complete, logSeconds }));
process.exit(0);
