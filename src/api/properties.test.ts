// Property tests (fast-check) over every request field of both APIs' unary methods, through the
// adapters' handlers over a real SQLite store: whatever a request holds, the answer is a todo, a
// domain error with a status other than INTERNAL, never an exception of another kind; and a call that
// fails writes nothing (every write records one event, so the log's head does not move). WatchTodos
// runs against the daemon's log tail and is cancelled after a moment, as a caller leaving: whatever it
// was asked, it ends with a status other than INTERNAL, sends nothing when it refuses the request, and
// otherwise first says where it starts and never goes back.
import { afterAll, describe, expect, test } from "bun:test";
import { status } from "@grpc/grpc-js";
import fc from "fast-check";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogTail } from "../events/log-tail";
import { SqliteStore } from "../store/sqlite/sqlite-store";
import { TodoApp } from "../todos/app";
import { internalContext } from "../todos/context";
import { toStatus } from "./grpc/status";
import { legacyV1 } from "./legacy-v1";
import { todoV1 } from "./todo-v1";

const dir = mkdtempSync(join(tmpdir(), "todo-properties-"));
const store = SqliteStore.open(dir);
const app = new TodoApp(store);
const v1 = todoV1(app);
const legacy = legacyV1(app);
const ctx = internalContext();
const tail = new LogTail(store, { pollMs: 50, batch: 64 });
await tail.start();
const watching = todoV1(new TodoApp(store, tail));

afterAll(async () => {
  await tail.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

// Values chosen to reach the edges: real ids, near-ids, empty, long, non-ASCII, control characters.
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: "binary", maxLength }),
    fc.constantFrom("", " ", "\u0000", "\uFFFD", "😀".repeat(201), "x".repeat(10_001), "STATE_DONE", "DONE", "*", "title desc", ".*", "(", "a{1001}"),
  );
const knownIds: string[] = [];
const id = fc.oneof(
  fc.constantFrom("", "000000000000000000000000", "5DC58EE5D954D9BC69BE5523", "x".repeat(100_000)),
  fc.stringMatching(/^[0-9a-f]{24}$/),
  fc.integer({ min: 0, max: 20 }).map((i) => knownIds[i % Math.max(1, knownIds.length)] ?? ""),
  text(40),
);
const etag = fc.oneof(fc.constantFrom("", "1", "2", "0", "-1", "99999999999999999999", 'W/"1"'), text(20));
const timestamp = fc.oneof(
  fc.constant(null),
  fc.record({ seconds: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), nanos: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
  fc.record({ seconds: fc.integer({ min: 0, max: 2_000_000_000 }).map(String), nanos: fc.integer({ min: 0, max: 999_999_999 }) }),
);
const v1State = fc.oneof(fc.constantFrom("STATE_UNSPECIFIED", "STATE_NOT_STARTED", "STATE_IN_PROGRESS", "STATE_DONE"), fc.integer({ min: -5, max: 10 }));
const legacyState = fc.oneof(fc.constantFrom("NOT_STARTED", "IN_PROGRESS", "DONE"), fc.integer({ min: -5, max: 10 }));
const tags = fc.array(text(70), { maxLength: 40 });
const v1Todo = fc.oneof(
  fc.constant(null),
  fc.record({
    id,
    title: text(210),
    description: text(100),
    tags,
    reminder: timestamp,
    state: v1State,
    create_time: timestamp,
    update_time: timestamp,
    etag,
  }),
);
const legacyToDo = fc.oneof(fc.constant(null), fc.record({ id, title: text(210), description: text(100), tags, reminder: timestamp, state: legacyState }));
const mask = fc.oneof(fc.constant(null), fc.record({ paths: fc.array(fc.oneof(fc.constantFrom("title", "description", "tags", "reminder", "state", "*", "create_time", "etag"), text(20)), { maxLength: 6 }) }));
const pageToken = fc.oneof(
  text(60),
  fc.record({ k: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), i: id, f: fc.string({ maxLength: 16 }) }).map((t) => Buffer.from(JSON.stringify(t)).toString("base64url")),
);
const search = fc.record({
  pattern: fc.oneof(text(50), fc.constantFrom("(?i)milk", "^(a+)+$", "\\pL{3}", "[", "a{2,1}")),
  tags,
  states: fc.array(v1State, { maxLength: 4 }),
  reminder_after: timestamp,
  reminder_before: timestamp,
  page_size: fc.oneof(fc.integer({ min: -10, max: 1_100 }), fc.constantFrom(0, 1, 1000, 1001, 2 ** 31 - 1, -(2 ** 31))),
  page_token: pageToken,
  order_by: fc.oneof(fc.constantFrom("", "title", "title desc", "reminder desc", "update_time asc", "create_time sideways", "priority"), text(30)),
});

/** Runs a call: its answer, or the status of its failure; anything but a known error fails the property. */
async function outcome(call: () => Promise<unknown>): Promise<{ ok: boolean; code?: status; details?: string }> {
  const head = await store.headPosition();
  try {
    const answer = await call();
    // Keep some real ids around, so later calls hit existing todos too.
    const created = (answer as { id?: string } | undefined)?.id;
    if (created && knownIds.length < 20) knownIds.push(created);
    return { ok: true };
  } catch (error) {
    const { code, details, internal } = toStatus(error);
    if (internal) throw new Error(`INTERNAL for a client's request: ${(error as Error)?.stack ?? error}`);
    expect(await store.headPosition()).toBe(head);
    // Errors never echo unbounded input.
    expect(details.length).toBeLessThan(1_000);
    return { ok: false, code, details };
  }
}

const watchRequest = fc.record({
  after_position: fc.oneof(
    fc.integer({ min: 0, max: 60 }).map(String),
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
    fc.constantFrom("0", "9007199254740991", "9007199254740992", "18446744073709551615"),
  ),
  from_now: fc.boolean(),
  todo_ids: fc.array(id, { maxLength: 5 }),
  tags: fc.array(text(70), { maxLength: 5 }),
  reminders_only: fc.boolean(),
});

/** A watch cancelled after `ms`, as a caller that leaves; what it sent is checked whatever its end. */
async function watchBriefly(request: Parameters<typeof watching.WatchTodos>[0], ms = 20): Promise<void> {
  const controller = new AbortController();
  const sent: { position: string; event: unknown }[] = [];
  const stream = { unsent: 0, write: async (message: { position?: unknown; event?: unknown }) => void sent.push(message as { position: string; event: unknown }) };
  const timer = setTimeout(() => controller.abort(), ms);
  let refused = false;
  try {
    await watching.WatchTodos(request, { ...internalContext(), signal: controller.signal }, stream);
  } catch (error) {
    refused = toStatus(error).code === status.INVALID_ARGUMENT;
    throw error;
  } finally {
    clearTimeout(timer);
    if (refused) expect(sent).toEqual([]);
    else if (sent.length > 0) {
      expect(sent[0]!.event).toBeNull();
      const positions = sent.map((m) => Number(m.position));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  }
}

/**
 * Requests as a decoder may hand them over, enum numbers and all: deliberately outside the generated
 * types, so `call` takes them untyped (never) and the arbitrary's values are passed on as such.
 */
const property = (name: string, arbitrary: fc.Arbitrary<unknown>, call: (request: never) => Promise<unknown>) =>
  test(name, async () => {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (request) => {
        await outcome(() => call(request as never));
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

describe("todo.v1.TodoService: no request is INTERNAL or writes when it fails", () => {
  property("CreateTodo", fc.record({ todo: v1Todo, todo_id: fc.oneof(fc.constant(""), id) }), (r) => v1.CreateTodo(r, ctx));
  property("GetTodo", fc.record({ id }), (r) => v1.GetTodo(r, ctx));
  property("UpdateTodo", fc.record({ todo: v1Todo, update_mask: mask }), (r) => v1.UpdateTodo(r, ctx));
  property("DeleteTodo", fc.record({ id, etag }), (r) => v1.DeleteTodo(r, ctx));
  property("SearchTodos", search, (r) => v1.SearchTodos(r, ctx));
  property("WatchTodos", watchRequest, (r) => watchBriefly(r));
});

describe("v1.ToDoService: no request is INTERNAL or writes when it fails", () => {
  property("Create", fc.record({ toDo: legacyToDo }), (r) => legacy.Create(r, ctx));
  property("Read", fc.record({ id }), (r) => legacy.Read(r, ctx));
  property("Update", fc.record({ toDo: legacyToDo }), (r) => legacy.Update(r, ctx));
  property("Delete", fc.record({ id }), (r) => legacy.Delete(r, ctx));
  property(
    "Search",
    fc.record({ pattern: search.map((s) => s.pattern), tags, states: fc.array(legacyState, { maxLength: 4 }) }),
    (r) => legacy.Search(r, ctx),
  );
});

test("the generated requests reach both outcomes: some creates succeed, some are INVALID_ARGUMENT", async () => {
  const codes = new Set<status | "OK">();
  await fc.assert(
    fc.asyncProperty(fc.record({ todo: v1Todo, todo_id: fc.oneof(fc.constant(""), id) }), async (r) => {
      // Unknown enum numbers are what the decoder passes on for a number it does not know.
      const o = await outcome(() => v1.CreateTodo(r as never, ctx));
      codes.add(o.ok ? "OK" : o.code!);
    }),
    { numRuns: RUNS },
  );
  expect(codes.has("OK")).toBe(true);
  expect(codes.has(status.INVALID_ARGUMENT)).toBe(true);
});

test("the generated watches reach both ends: some follow the log until cancelled, some are INVALID_ARGUMENT", async () => {
  const codes = new Set<status | "OK">();
  await fc.assert(
    fc.asyncProperty(watchRequest, async (r) => {
      const o = await outcome(() => watchBriefly(r));
      codes.add(o.ok ? "OK" : o.code!);
    }),
    { numRuns: Math.min(RUNS, 100) },
  );
  expect(codes.has(status.CANCELLED)).toBe(true);
  expect(codes.has(status.INVALID_ARGUMENT)).toBe(true);
});
