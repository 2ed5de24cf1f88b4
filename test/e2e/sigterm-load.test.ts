// SIGTERM under load: the calls in flight complete (or, past DRAIN_SECONDS, are cut off with a status
// that says so — never INTERNAL), calls after the signal are refused, and the daemon exits 0 within
// DRAIN_SECONDS plus a margin. The load comes from Node.js (see node-client.mjs).
import { expect, test } from "bun:test";
import { startDaemon } from "../support/daemon";
import { nodeClient } from "../support/node-client";
import { seededDataDir } from "../support/seed";
import { scaled } from "../support/time";

const ROWS = 10_000;
// 64 loops of creates, gets and pattern searches over the rows; one connection.
const CONCURRENCY = 64;

for (const drainSeconds of [10, 1]) {
  test(`SIGTERM under load of ${CONCURRENCY} concurrent calls, DRAIN_SECONDS=${drainSeconds}`, async () => {
    const dataDir = await seededDataDir(ROWS, (i) => ({ title: `todo ${i}`, description: "x".repeat(200) }));
    const daemon = await startDaemon({ dataDir, env: { DRAIN_SECONDS: String(drainSeconds) } });
    const outcome = await nodeClient(["sigterm", daemon.addr, String(daemon.pid), String(CONCURRENCY), "90"], 120);
    const code = await daemon.process.exited;
    console.log(`DRAIN_SECONDS=${drainSeconds}: ${JSON.stringify(outcome)}`);
    expect(code).toBe(0);
    expect(outcome.exitMs).toBeLessThan(drainSeconds * 1000 + scaled(3_000));
    // Calls in flight at the signal completed, or were cut off at the drain deadline: never INTERNAL.
    expect(outcome.before.INTERNAL ?? 0).toBe(0);
    expect(outcome.after.INTERNAL ?? 0).toBe(0);
    expect(outcome.before.OK).toBeGreaterThan(0);
    // Calls made after the signal are refused: nothing new is served once the drain begins.
    for (const status of Object.keys(outcome.after)) expect(["UNAVAILABLE", "CANCELLED", "OK"]).toContain(status);
    // Sent before the signal but not yet taken by the daemon when it stopped accepting: refused with
    // UNAVAILABLE (safe to retry). Every call the daemon took either finished, or — past a drain time of
    // 1 s — was cut off with UNAVAILABLE naming DRAIN_SECONDS.
    for (const status of Object.keys(outcome.before)) expect(["OK", "UNAVAILABLE"]).toContain(status);
    const cutOff = daemon.logs().some((l) => l.msg === "drain deadline passed; cancelling the calls still running");
    if (drainSeconds === 10) expect(cutOff).toBe(false);
    console.log(`  exit ${outcome.exitMs} ms after SIGTERM; drain deadline reached: ${cutOff}`);
  }, 180_000);
}
