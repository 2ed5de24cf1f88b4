// A long watch holds nothing and says nothing: one WatchTodos streaming 100,000 events (~100 MB, more
// than a connection's reply budget) to a client that reads them is not cut off, leaves the daemon's
// memory where it was, and puts no line but JSON in its log (grpc-js's stream once grew a close
// listener per message: MaxListenersExceededWarning on stderr after the 11th, and its bytes were held
// until the stream ended).
import { expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { REPLY_BUDGET } from "../../src/api/grpc/reply-budget";
import { startDaemon } from "../support/daemon";
import { nodeScript } from "../support/node-client";
import { rssBytes, servePid } from "../support/process";
import { seededLog } from "../support/seed";
import { scaled } from "../support/time";

const MiB = 1024 * 1024;
const EVENTS = 100_000;

/** The lowest RSS of `pid` over `ms`, sampled every 100 ms: what is resident once the runtime has collected. */
async function lowestRss(pid: number, ms: number): Promise<number> {
  let lowest = rssBytes(pid);
  for (const until = Date.now() + ms; Date.now() < until; await Bun.sleep(100)) lowest = Math.min(lowest, rssBytes(pid));
  return lowest;
}

test("a watch streaming 100,000 events to a client that reads them: not cut off, RSS flat (+10 MiB at most), no warning, nothing but JSON logged", async () => {
  const dataDir = await seededLog(EVENTS, 1_000);
  const daemon = await startDaemon({ dataDir });
  try {
    const pid = servePid(daemon.pid);
    const watch = (read: number) => nodeScript("long-watch.mjs", [daemon.addr, JSON.stringify({ watches: [{ after: 0, read }] })], scaled(60_000) / 1000);
    // A shorter watch first, so the baseline holds what any watch allocates once (code compiled, SQLite's cache).
    await watch(10_000);
    const before = await lowestRss(pid, 1_000);

    let peak = before;
    const streaming = watch(EVENTS);
    let streamed = false;
    void streaming.finally(() => (streamed = true));
    while (!streamed) {
      peak = Math.max(peak, rssBytes(pid));
      await Bun.sleep(100);
    }
    const { watches, ms } = await streaming;
    const [result] = watches;
    // Every event, in order, no status; and the daemon said nothing but JSON meanwhile.
    const said = { stderr: daemon.stderr(), notJson: daemon.logs().filter((line) => "raw" in line) };
    expect({ events: result.events, inOrder: result.inOrder, code: result.code, details: result.details, ...said }).toEqual({
      events: EVENTS,
      inOrder: true,
      code: undefined,
      details: undefined,
      stderr: "",
      notJson: [],
    });
    // More than a connection may hold unsent: what was read was released as it left, not at the end.
    expect(result.bytes).toBeGreaterThan(REPLY_BUDGET.connectionBytes);

    // Back within 10 MiB of the baseline once the runtime collects: polled, within a bound.
    let after = rssBytes(pid);
    for (const until = Date.now() + scaled(10_000); after > before + 10 * MiB && Date.now() < until; await Bun.sleep(100)) after = Math.min(after, rssBytes(pid));
    console.log(`watch of ${EVENTS} events (${Math.round(result.bytes / MiB)} MiB) in ${ms} ms: RSS ${(before / MiB).toFixed(1)} MiB before, peak ${(peak / MiB).toFixed(1)}, after ${(after / MiB).toFixed(1)}`);
    expect((after - before) / MiB).toBeLessThanOrEqual(10);
  } finally {
    await daemon.stop("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
