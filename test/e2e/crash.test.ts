// Nothing acknowledged is lost or doubled: 2,000 creates at once from a client that retries as the CLI
// does (test/e2e/node-client.mjs `creates`: a client-chosen id, retries on UNAVAILABLE, DEADLINE_EXCEEDED
// and UNKNOWN), while the daemon is killed with SIGKILL and restarted, on both stores; and while MongoDB
// (FerretDB) is paused with SIGSTOP, then killed, under the same load. Each prints its figures.
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MongoClient } from "mongodb";
import { ensureBinary } from "../support/binary";
import { cli, type Daemon, hidden, startDaemon } from "../support/daemon";
import { type FerretDb, startFerretDb } from "../support/ferretdb";
import { freePort } from "../support/net";
import { scaled } from "../support/time";
import { toolOrSkip } from "../support/tools";

const SCRIPT = join(import.meta.dir, "node-client.mjs");
const TODOS = 2000;
/** Each create's --timeout: long enough to outlast a restart on a busy machine. */
const TIMEOUT_SECONDS = 90;
/**
 * FerretDB fsyncs every insert, one at a time: on this machine loaded 10 per core it managed ~5 a second,
 * and 2,000 calls at once each passed the daemon's default 3 s store limit, retried, and none finished
 * (congestion collapse: see the report of this test's commit). The daemons here wait longer for
 * MongoDB (serverSelectionTimeoutMS, which the call limit follows), and the creates get longer too.
 */
const MONGO_TIMEOUT_SECONDS = 120;
const MONGO_OPTIONS = "?serverSelectionTimeoutMS=30000";

const work = mkdtempSync(join(tmpdir(), "todo-crash-"));
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

interface CreatesResult {
  sent: string[];
  acknowledged: string[];
  retries: number;
  retriedCodes: Record<string, number>;
  foundFirstAttempt: number;
  failed: Record<string, number>;
  example?: string;
  ms: number;
}

/** Starts the `creates` scenario against `addr`; resolves with its result. */
function startCreates(addr: string, timeoutSeconds = TIMEOUT_SECONDS): Promise<CreatesResult> {
  const node = Bun.which("node");
  if (!node) throw new Error("Node.js is required: load must not run on Bun's own grpc-js client");
  const proc = Bun.spawn([node, SCRIPT, "creates", addr, String(TODOS), String(timeoutSeconds)], { stdout: "pipe", stderr: "pipe" });
  const guard = setTimeout(() => proc.kill("SIGKILL"), (timeoutSeconds + 60) * 1000);
  return Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]).then(([stdout, stderr, code]) => {
    clearTimeout(guard);
    if (code !== 0 || stderr) throw new Error(`node-client.mjs creates exited ${code}:\n${stderr}${stdout}`);
    return JSON.parse(stdout);
  });
}

/** Polls `count` until it reaches `atLeast` (or gives up after a while, returning what it saw). */
async function waitForCount(count: () => Promise<number>, atLeast: number): Promise<number> {
  const until = performance.now() + scaled(30_000);
  let seen = 0;
  while ((seen = await count().catch(() => 0)) < atLeast && performance.now() < until) await Bun.sleep(20);
  return seen;
}

async function handled(d: Daemon, code: string): Promise<number> {
  const text = await (await fetch(`${d.httpUrl}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(new RegExp(`^grpc_server_handled_total\\{[^}]*grpc_code="${code}"[^}]*\\} (\\S+)$`, "gm"))) total += Number(m[1]);
  return total;
}

/**
 * Holds the client's outcome against the stored todos: every acknowledged create is stored, every stored
 * todo is one the client sent, once, with what it sent. Creates still failing at their timeout are
 * counted, not failed: on a machine too busy for the store to keep up, a create may time out, and its
 * client knows it was not acknowledged. Returns the figures to print.
 */
function verify(result: CreatesResult, stored: { id: string; title: string; description: string }[]) {
  const storedIds = new Set(stored.map((t) => t.id));
  const sent = new Set(result.sent);
  const lost = result.acknowledged.filter((id) => !storedIds.has(id));
  const strangers = stored.filter((t) => !sent.has(t.id));
  const titles = new Map<string, number>();
  for (const t of stored) titles.set(t.title, (titles.get(t.title) ?? 0) + 1);
  const doubled = [...titles.values()].filter((n) => n > 1).length;
  const mismatched = stored.filter((t) => t.description !== `sent as ${t.id}`);
  expect({ lost: lost.length, strangers: strangers.length, doubled, mismatched: mismatched.length }).toEqual({ lost: 0, strangers: 0, doubled: 0, mismatched: 0 });
  expect(result.acknowledged.length).toBeGreaterThan(0);
  // Nothing fails for another reason than a timeout the client could retry no longer.
  for (const code of Object.keys(result.failed)) expect(["UNAVAILABLE", "DEADLINE_EXCEEDED", "UNKNOWN"]).toContain(code);
  return `${result.acknowledged.length} acknowledged of ${TODOS}, ${stored.length} stored, 0 lost, 0 doubled; ${result.retries} retries ${JSON.stringify(result.retriedCodes)}, ${result.foundFirstAttempt} found their first attempt (ALREADY_EXISTS, same todo); still failing at the timeout ${JSON.stringify(result.failed)}; client ${result.ms} ms`;
}

test(`kill -9 of the daemon during ${TODOS} concurrent creates (embedded store): nothing acknowledged lost, nothing doubled by retries`, async () => {
  const dataDir = join(work, "sqlite");
  const grpcPort = await freePort();
  const first = await startDaemon({ dataDir, grpcPort });
  cleanup.push(() => first.stop("SIGKILL"));
  const creating = startCreates(first.addr);
  const db = new Database(join(dataDir, "todos.db"), { readonly: true });
  const rows = async () => db.query<{ n: number }, []>("SELECT count(*) AS n FROM todos").get()!.n;
  const atKill = await waitForCount(rows, TODOS / 10);
  process.kill(first.pid, "SIGKILL");
  await first.process.exited;
  const committedAtKill = await rows();
  const second = await startDaemon({ dataDir, grpcPort });
  cleanup.push(() => second.stop());
  const result = await creating;
  const stored = db.query<{ id: string; title: string; description: string }, []>("SELECT id, title, description FROM todos").all();
  const createdEvents = db.query<{ n: number }, []>("SELECT count(*) AS n FROM events WHERE kind = 'created'").get()!.n;
  db.close();
  console.log(`sqlite kill -9 (seen ${atKill} rows, ${committedAtKill} committed at the kill): ${verify(result, stored)}`);
  expect(createdEvents).toBe(stored.length);
  expect(await handled(second, "Internal")).toBe(0);
  expect(await second.stop()).toBe(0);
}, 240_000);

test("todo add retries across a daemon killed and restarted under it: it prints created, and the todo exists once", async () => {
  const dataDir = join(work, "cli-retry");
  const grpcPort = await freePort();
  const first = await startDaemon({ dataDir, grpcPort });
  cleanup.push(() => first.stop("SIGKILL"));
  // A stopped daemon's kernel accepts the connection and the call waits: the CLI's first attempt is in flight.
  process.kill(first.pid, "SIGSTOP");
  const binary = await ensureBinary();
  const adding = Bun.spawn(hidden([binary, "add", "survives a restart", "+retry", "--timeout", "60", "--addr", `127.0.0.1:${grpcPort}`]), {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME! },
    stdout: "pipe",
    stderr: "pipe",
  });
  await Bun.sleep(scaled(1000));
  process.kill(first.pid, "SIGKILL");
  await first.process.exited;
  await Bun.sleep(scaled(500)); // the CLI now retries against a closed port
  const second = await startDaemon({ dataDir, grpcPort });
  cleanup.push(() => second.stop());
  const [stdout, stderr, exitCode] = await Promise.all([new Response(adding.stdout).text(), new Response(adding.stderr).text(), adding.exited]);
  console.log(`todo add across a restart: exit ${exitCode}, ${stdout.trim()}${stderr.trim()}`);
  expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: "" });
  const id = /^created ([0-9a-f]{24})$/.exec(stdout.trim())?.[1];
  expect(id).toBeDefined();
  const listed = await cli(["search", "--json", "--addr", second.addr]);
  expect(listed.stdout.trim().split("\n").map((line) => JSON.parse(line)).map((t) => [t.id, t.title])).toEqual([[id, "survives a restart"]]);
  expect(await second.stop()).toBe(0);
}, 120_000);

const ferretdb = toolOrSkip("ferretdb", "crash tests on MongoDB");

describe.skipIf(!ferretdb)("on MongoDB (FerretDB)", () => {
  let server: FerretDb;
  let mongo: MongoClient;

  async function storedIn(database: string) {
    const docs = await mongo.db(database).collection("todos").find({ deleted: { $ne: true } }, { projection: { title: 1, description: 1 } }).toArray();
    return docs.map((d) => ({ id: d._id.toHexString(), title: d.title as string, description: d.description as string }));
  }

  test("setup", async () => {
    server = await startFerretDb(ferretdb!);
    cleanup.push(() => server.dispose());
    mongo = new MongoClient(server.url);
    cleanup.push(() => mongo.close());
  });

  test(`kill -9 of the daemon during ${TODOS} concurrent creates: nothing acknowledged lost, nothing doubled by retries`, async () => {
    const database = "crash_daemon";
    const grpcPort = await freePort();
    const env = { MONGO_URL: `${server.url}${database}${MONGO_OPTIONS}` };
    const first = await startDaemon({ dataDir: mkdtempSync(join(work, "m-")), grpcPort, env });
    cleanup.push(() => first.stop("SIGKILL"));
    const creating = startCreates(first.addr, MONGO_TIMEOUT_SECONDS);
    const atKill = await waitForCount(() => mongo.db(database).collection("todos").countDocuments(), TODOS / 20);
    process.kill(first.pid, "SIGKILL");
    await first.process.exited;
    const second = await startDaemon({ dataDir: mkdtempSync(join(work, "m-")), grpcPort, env });
    cleanup.push(() => second.stop());
    const result = await creating;
    console.log(`mongo kill -9 of the daemon (seen ${atKill} documents at the kill): ${verify(result, await storedIn(database))}`);
    expect(await handled(second, "Internal")).toBe(0);
    expect(await second.stop()).toBe(0);
  }, 900_000);

  test(`FerretDB paused (SIGSTOP), then killed, under ${TODOS} concurrent creates: acknowledged writes survive, no INTERNAL; the time to ready again is printed`, async () => {
    const database = "crash_mongo";
    const d = await startDaemon({ dataDir: mkdtempSync(join(work, "m-")), env: { MONGO_URL: `${server.url}${database}${MONGO_OPTIONS}` } });
    cleanup.push(() => d.stop());
    const count = () => mongo.db(database).collection("todos").countDocuments();

    let creating = startCreates(d.addr, MONGO_TIMEOUT_SECONDS);
    const atPause = await waitForCount(count, TODOS / 10);
    const pid = server.pid!;
    process.kill(pid, "SIGSTOP");
    // Calls in flight wait it out, or end DEADLINE_EXCEEDED (outcome unknown) and are retried with their id.
    await Bun.sleep(5000);
    process.kill(pid, "SIGCONT");
    const paused = await creating;
    console.log(`mongo paused 5 s (seen ${atPause} documents at the pause): ${verify(paused, await storedIn(database))}`);
    expect(await handled(d, "Internal")).toBe(0);

    const before = new Set(paused.sent);
    creating = startCreates(d.addr, MONGO_TIMEOUT_SECONDS);
    const atKill = (await waitForCount(count, TODOS + TODOS / 10)) - TODOS;
    await server.stop("SIGKILL");
    await Bun.sleep(1000);
    await server.start();
    const killed = await creating;
    const storedNow = (await storedIn(database)).filter((t) => !before.has(t.id));
    console.log(`mongo killed and restarted (seen ${atKill} new documents at the kill): ${verify(killed, storedNow)}`);
    expect(await handled(d, "Internal")).toBe(0);
    // Once the load is gone the daemon should be ready again without a restart. In 2 of 7 runs on
    // 2026-12-07 it was not: /readyz stayed 503 ("cannot be reached") for minutes while FerretDB idled.
    // Cause found and fixed: Bun's net left the driver's monitor waiting for good on a check written as
    // its socket closed (patches/mongodb@7.9.0.patch; src/store/mongo/driver-patch.test.ts forces that
    // window). Printed, with where it is stuck, not yet asserted: the fix has 4 clean runs of this test so
    // far. What this test guarantees is the above: nothing acknowledged lost or doubled, and no INTERNAL.
    // (Another defect, fixed: it said ready and acknowledged 0 of 2,000, as each create read every
    // short-number claim, a scan on FerretDB.)
    const since = performance.now();
    let ready = 0;
    for (const until = since + scaled(60_000); ready !== 200 && performance.now() < until; await Bun.sleep(200)) ready = (await fetch(`${d.httpUrl}/readyz`)).status;
    console.log(`mongo after the restart: /readyz ${ready} ${Math.round(performance.now() - since)} ms after the load ended`);
    if (ready !== 200) {
      console.log(`/readyz: ${await (await fetch(`${d.httpUrl}/readyz`)).text()}`);
      console.log(`FerretDB's goroutines:\n${(await server.goroutines()).slice(0, 12_000)}`);
      console.log(`the daemon's last lines:\n${d
        .logs()
        .slice(-60)
        .map((l) => JSON.stringify(l))
        .join("\n")}`);
      return console.log("mongo after the restart: not ready within 60 s (known open defect, above)");
    }
    const after = startCreates(d.addr, MONGO_TIMEOUT_SECONDS);
    expect((await after).acknowledged.length).toBe(TODOS);
  }, 1_500_000);
});
