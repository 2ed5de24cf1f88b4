// The reply budget counts what is unsent, not what was ever streamed: a watch that reads what it is sent
// holds nothing however long it runs, and the calls beside it on its connection are served; a write the
// budget refuses is refused before it runs, says that nothing was changed, and indeed changed nothing.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { REPLY_BUDGET } from "../../src/api/grpc/reply-budget";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store";
import { nodeScript } from "../support/node-client";
import { servePid } from "../support/process";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { seededDataDir, seededId } from "../support/seed";
import { tempDirs } from "../support/temp";

const tempDir = tempDirs();

const MiB = 1024 * 1024;
/** 10,000 four-byte characters: a ~40 KB event. */
const BIG = "\u{1D11E}".repeat(10_000);

/** A data directory whose log holds `count` created events of ~40 KB each (group-committed: fast). */
async function bigLog(count: number): Promise<string> {
  const dataDir = tempDir("long-watch");
  const store = SqliteStore.open(dataDir);
  for (let i = 0; i < count; i += 200)
    await Promise.all(
      Array.from({ length: Math.min(200, count - i) }, (_, j) => store.create({ title: `event ${i + j}`, description: BIG, tags: [], reminder: null, state: "STATE_NOT_STARTED" })),
    );
  await store.close();
  return dataDir;
}

const metric = async (daemon: Daemon, name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(await (await fetch(`${daemon.httpUrl}/metrics`)).text())?.[1]);

/** Polls the unsent-reply gauge until it is 0 (every reply gone), within a bound. */
async function budgetReturnsToZero(daemon: Daemon): Promise<number> {
  let held = Number.NaN;
  for (let i = 0; i < 100; i++) {
    held = await metric(daemon, "todo_grpc_unsent_reply_bytes");
    if (held === 0) break;
    await Bun.sleep(100);
  }
  return held;
}

const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;

/**
 * The highest unsent-reply gauge and daemon RSS seen while `running` runs, sampled every 100 ms: what a
 * watch holds while it streams, not only what is left once its client is gone.
 */
async function highestWhile(running: Promise<unknown>, daemon: Daemon, pid: number): Promise<{ held: number; rss: number }> {
  let settled = false;
  running.then(
    () => (settled = true),
    () => (settled = true),
  );
  const highest = { held: 0, rss: 0 };
  while (!settled) {
    highest.held = Math.max(highest.held, (await metric(daemon, "todo_grpc_unsent_reply_bytes")) || 0);
    highest.rss = Math.max(highest.rss, rss(pid));
    await Bun.sleep(100);
  }
  return highest;
}

/** Log lines that are not JSON (a runtime warning such as MaxListenersExceededWarning). */
const notJson = (daemon: Daemon) => daemon.logs().filter((line) => "raw" in line);

test("a watch that reads 80 MB of events on one connection is not cut off, and that connection serves other calls meanwhile", async () => {
  const events = 2_000;
  const daemon = await startDaemon({ dataDir: await bigLog(events) });
  try {
    const result = await nodeScript("long-watch.mjs", [daemon.addr, JSON.stringify({ watches: [{ after: 0, read: events }], thenWrite: true, getEveryMs: 250 })], 150);
    const [watch] = result.watches;
    console.log(`long watch: ${events} events, ${Math.round(watch.bytes / MiB)} MiB read; unary ${JSON.stringify(result.unary)}; write ${result.write}; ${result.ms} ms`);
    expect(watch.code).toBeUndefined();
    expect(watch.events).toBe(events);
    expect(watch.bytes).toBeGreaterThan(REPLY_BUDGET.connectionBytes);
    expect(watch.inOrder).toBe(true);
    // After reading more than the budget, the watch still gets the next event, and the same connection
    // still serves reads and writes.
    expect(result.write).toBe("OK");
    expect(watch.sawCreated).toBe(true);
    expect(result.unary.failed).toEqual({});
    expect(result.unary.ok).toBeGreaterThan(0);
    expect(await budgetReturnsToZero(daemon)).toBe(0);
    expect(notJson(daemon)).toEqual([]);
  } finally {
    await daemon.stop("SIGKILL");
  }
}, 180_000);

test("a write on a connection whose replies fill its budget is refused before it runs: it says nothing was changed, and nothing was", async () => {
  // 300 todos of 10,000 characters: each v1 Search reply is ~3 MB; todo 0 is ~40 KB.
  const dataDir = await seededDataDir(300, (i) => ({ title: `big ${i}`, description: i === 0 ? BIG : "d".repeat(10_000) }));
  const daemon = await startDaemon({ dataDir });
  try {
    const result = await nodeScript("refused-writes.mjs", [daemon.addr, "30", "120", seededId(0), "20", "refused-write"], 60);
    console.log(`refused writes: searches ${JSON.stringify(result.searches)}, gets ${JSON.stringify(result.gets)}, creates ${JSON.stringify(result.creates.map((c: any) => c.status))}`);
    const refused = result.creates.filter((c: any) => c.status !== 0);
    // The budget is full: the gets past it were refused, and so were the creates.
    expect(result.gets["8"]).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const create of refused) {
      expect(create.status).toBe(8);
      expect(create.message).toMatch(/^this connection holds \d+ MiB of replies not yet read by their clients \(limit 64 MiB\); this call was not run, nothing was changed: read the replies of earlier calls, then retry$/);
    }
    // Nothing was changed: no refused create left its todo.
    const found = await cli(["search", "refused-write", "--addr", daemon.addr, "--json"]);
    expect(found.exitCode).toBe(0);
    const titles = found.stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line).title);
    for (const create of refused) expect(titles).not.toContain(create.title);
    // The client went away: everything it held is released.
    expect(await budgetReturnsToZero(daemon)).toBe(0);
    expect(notJson(daemon)).toEqual([]);
  } finally {
    await daemon.stop("SIGKILL");
  }
}, 120_000);

test("a unary request that is never finished reserves nothing: 400 of them hold no budget", async () => {
  const daemon = await startDaemon();
  try {
    const holding = nodeScript("unfinished-requests.mjs", [daemon.addr, "400", "4"], 60);
    await Bun.sleep(2_500);
    // While the 400 streams are open, each with its whole request but no end: nothing is held for them.
    const held = await metric(daemon, "todo_grpc_unsent_reply_bytes");
    const result = await holding;
    expect(result.answered).toBe(0);
    expect(held).toBe(0);
    expect(await cli(["ls", "--addr", daemon.addr])).toMatchObject({ exitCode: 0 });
  } finally {
    await daemon.stop("SIGKILL");
  }
}, 60_000);

test("property: long watches on one connection, read at any pace, hold no budget once read, and the daemon's memory stays flat", async () => {
  // More than a connection's budget in all: one watch that reads it all would have been cut off.
  const events = 1_800;
  const daemon = await startDaemon({ dataDir: await bigLog(events) });
  try {
    const pid = servePid(daemon.pid);
    // One full pass first, so the baseline includes what a watch allocates once (caches, code).
    await nodeScript("long-watch.mjs", [daemon.addr, JSON.stringify({ watches: [{ after: 0, read: events }] })], 120);
    const before = rss(pid);
    let peak = before;
    let heldPeak = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            after: fc.integer({ min: 0, max: events - 1 }),
            share: fc.integer({ min: 1, max: 100 }),
            pauseEvery: fc.constantFrom(0, 10, 50),
            pauseMs: fc.integer({ min: 0, max: 200 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (plans) => {
          const watches = plans.map(({ after, share, pauseEvery, pauseMs }) => ({ after, read: Math.max(1, Math.floor(((events - after) * share) / 100)), pauseEvery, pauseMs }));
          const running = nodeScript("long-watch.mjs", [daemon.addr, JSON.stringify({ watches, getEveryMs: 200 })], 150);
          const highest = await highestWhile(running, daemon, pid);
          const result = await running;
          heldPeak = Math.max(heldPeak, highest.held);
          peak = Math.max(peak, highest.rss);
          for (const [i, watch] of result.watches.entries()) {
            expect(watch.code).toBeUndefined();
            expect(watch.events).toBe(watches[i]!.read);
            expect(watch.inOrder).toBe(true);
          }
          expect(result.unary.failed).toEqual({});
          expect(await budgetReturnsToZero(daemon)).toBe(0);
          peak = Math.max(peak, rss(pid));
        },
      ),
      { numRuns: 8, endOnFailure: true },
    );
    console.log(
      `RSS ${Math.round(before / MiB)} MiB before the runs, peak ${Math.round(peak / MiB)} MiB during them; unsent replies at most ${(heldPeak / MiB).toFixed(1)} MiB while they streamed (the log is ${Math.round((events * 40_000) / MiB)} MB)`,
    );
    // A watch holds what one reply in flight needs, however long it streams (0.1 MiB seen; the budget
    // a connection may hold is 64 MiB, which a watch once filled and was cut off at).
    expect(heldPeak).toBeLessThan(4 * MiB);
    // Generous: a leak of what was streamed would be hundreds of MiB (8 runs of up to 4 × 70 MB).
    expect(peak - before).toBeLessThan(160 * MiB);
    expect(notJson(daemon)).toEqual([]);
  } finally {
    await daemon.stop("SIGKILL");
  }
}, 600_000);
