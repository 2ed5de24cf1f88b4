// The event log on MongoDB (FerretDB here), through the compiled binary: two daemons on one database
// (a watcher on one sees writes made through the other), a kill -9 in the middle of concurrent writes,
// and `todo replay` between databases.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Document, MongoClient } from "mongodb";
import { ensureBinary } from "../support/binary";
import { cli, type Daemon, hidden, startDaemon } from "../support/daemon";
import { type FerretDb, startFerretDb } from "../support/ferretdb";
import { lineReader } from "../support/lines";
import { nodeClient } from "../support/node-client";
import { scaled } from "../support/time";
import { toolOrSkip } from "../support/tools";

const ferretdb = toolOrSkip("ferretdb", "the event log on MongoDB");
const work = mkdtempSync(join(tmpdir(), "todo-mongo-events-"));
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  rmSync(work, { recursive: true, force: true });
});

let server: FerretDb | undefined;
async function ferret(): Promise<FerretDb> {
  if (!server) {
    server = await startFerretDb(ferretdb!);
    const started = server;
    cleanup.push(() => started.dispose());
  }
  return server;
}

async function daemon(database: string): Promise<Daemon> {
  const { url } = await ferret();
  const d = await startDaemon({ env: { MONGO_URL: url, MONGO_DB: database }, dataDir: mkdtempSync(join(work, "data-")) });
  cleanup.push(() => d.stop("SIGKILL"));
  return d;
}

async function db(database: string) {
  const client = new MongoClient((await ferret()).url);
  cleanup.push(() => client.close());
  return client.db(database);
}

/**
 * Waits until no reminder is due unfired and no todo document holds an event the log has not taken yet.
 * On FerretDB each look for due reminders is a collection scan: on a busy machine firing a workload's
 * reminders takes tens of seconds, so the bound follows the load.
 */
async function settled(database: string, withinMs = scaled(30_000)) {
  const todos = (await db(database)).collection("todos");
  const until = Date.now() + withinMs;
  // Due as the store's own look sees it: a DONE todo's reminder stays armed and never fires, nor a
  // deleted one's (a random workload that finished a todo with a passed reminder waited for it forever).
  const due = () => ({ reminder_due: { $lte: new Date() }, state: { $ne: "STATE_DONE" }, deleted: { $ne: true } });
  const unsettled = () => ({ $or: [{ "pending.0": { $exists: true } }, due()] });
  while ((await todos.countDocuments(unsettled())) > 0) {
    if (Date.now() > until) {
      const left = await todos.find(unsettled(), { projection: { _id: 1, version: 1, reminder_due: 1, state: 1, "pending.kind": 1 } }).limit(5).toArray();
      throw new Error(`events of ${database} still pending after ${withinMs} ms, e.g. ${JSON.stringify(left)}`);
    }
    await Bun.sleep(100);
  }
}

/** The live todos as stored (no tombstones, no pending) and the log, for comparisons. */
async function contents(database: string) {
  const d = await db(database);
  // Without `seq`: a document's change number is the store's own bookkeeping (src/store/mongo/claims.ts).
  const todos = await d.collection("todos").find({ deleted: { $ne: true } }, { projection: { pending: 0, seq: 0 } }).sort({ _id: 1 }).toArray();
  const events = await d.collection("events").find().sort({ _id: 1 }).toArray();
  return { todos, events };
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

describe.skipIf(!ferretdb)("the event log on MongoDB", () => {
  test("two daemons on one database: a watcher on one sees every write made through the other, once, in order", async () => {
    const [a, b] = [await daemon("two_daemons"), await daemon("two_daemons")];
    const watch = Bun.spawn(hidden([await ensureBinary(), "watch", "--json", "--addr", a.addr]), { stdout: "pipe", stderr: "pipe" });
    cleanup.push(async () => watch.kill("SIGKILL"));
    const out = lineReader(watch.stdout);
    // The watch has started once daemon a counts it.
    while (!/^todo_watchers 1$/m.test(await (await fetch(`${a.httpUrl}/metrics`)).text())) await Bun.sleep(20);
    const latencies: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const result = await cli(["create", "--addr", b.addr, "--title", `through b ${i}`]);
      const acknowledged = Date.now();
      expect(result.exitCode).toBe(0);
      ids.push(result.stdout.trim().split(" ")[1]!);
      await out.atLeast(i + 1, `write ${i} made through b, on the watcher of a`, 10_000);
      latencies.push(Math.max(0, out.at[i]! - acknowledged));
    }
    console.log(`watch on daemon a, writes through daemon b: seen after the create's answer within p50 ${percentile(latencies, 50)} ms, max ${Math.max(...latencies)} ms (target 1 s)`);
    const events = out.seen.map((line) => JSON.parse(line));
    expect(events.map((e) => e.todoId)).toEqual(ids);
    expect(events.map((e) => Number(e.position))).toEqual(events.map((_, i) => Number(events[0].position) + i));
    // A liveness bound, not a speed target (that is the 1 s above): the poll alone would take 250 ms.
    expect(Math.max(...latencies)).toBeLessThan(5_000);
  }, 120_000);

  test("kill -9 during concurrent writes: every acknowledged write has its event, and every event its write", async () => {
    const database = "crash";
    const first = await daemon(database);
    const writing = nodeClient(["writes", first.addr, "16", "60"], 90);
    const appended = async () => Number(/^todo_events_appended_total (\d+)$/m.exec(await (await fetch(`${first.httpUrl}/metrics`)).text())?.[1] ?? 0);
    // Kill it in the middle of the writes: once 60 are in (FerretDB is slow here, three commits a write).
    while ((await appended()) < 60) await Bun.sleep(20);
    await first.stop("SIGKILL");
    const { acknowledged } = (await writing) as { acknowledged: [string, number][] };
    // Another daemon takes over what the dead one left pending.
    await daemon(database);
    await settled(database);
    const { todos, events } = await contents(database);
    const logged = new Set(events.map((e) => `${e.todo_id}@${e.version}`));
    const lost = acknowledged.filter(([id, version]) => !logged.has(`${id}@${version}`));
    console.log(`MongoDB, kill -9 during writes: ${acknowledged.length} acknowledged, ${events.length} events, ${todos.length} todos, ${lost.length} acknowledged without an event`);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    const positions = events.map((e) => Number(e._id));
    expect(positions.filter((p, i) => p !== i + 1).slice(0, 5)).toEqual([]);
    // The last event of each todo is the todo as stored: no write without its event, no event without its write.
    const last = new Map<string, Document>();
    for (const e of events) last.set(e.todo_id, e);
    expect(todos.map((t) => [t._id.toHexString(), t.version, t.title])).toEqual(
      [...last.values()].sort((x, y) => x.todo_id.localeCompare(y.todo_id)).map((e) => [e.todo_id, e.version, e.todo.title]),
    );
  }, 180_000);

  test("todo replay rebuilds the same todos and the same log in another database", async () => {
    const source = await daemon("replay_source");
    const result = await nodeClient(["workload", source.addr, "200", "11"], 120);
    await settled("replay_source");
    await source.stop("SIGTERM");
    const { url } = await ferret();
    const replay = await cli(["replay", "--mongo-url", url, "--mongo-db", "replay_source", "--into-mongo-url", url, "--into-mongo-db", "replay_target"]);
    expect(replay.stderr).toBe("");
    const [from, into] = [await contents("replay_source"), await contents("replay_target")];
    // 200 writes, and the reminders of the workload's imports (all passed) as they fired.
    const fired = from.events.filter((e) => e.kind === "reminder_due").length;
    expect(from.events).toHaveLength(200 + fired);
    expect(replay.stdout).toMatch(new RegExp(`^replayed ${200 + fired} events of mongodb .* database replay_source into mongodb .* database replay_target\n$`));
    expect(into.events).toEqual(from.events);
    expect(into.todos).toEqual(from.todos);
    expect(from.todos).toHaveLength(result.live);
  }, 180_000);
});
