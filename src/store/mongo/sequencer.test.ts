import { describe, expect, test } from "bun:test";
import { Sequencer, type SequencerOptions, type Work } from "./sequencer";

/** A sequencer whose passes are recorded, and held open until released when `hold` is set. */
function recorder(options: Partial<SequencerOptions> = {}) {
  const passes: Work[] = [];
  const failures: unknown[] = [];
  let running = 0;
  let overlapped = false;
  let fail: Error | undefined;
  let hold: Promise<void> | undefined;
  const sequencer = new Sequencer({
    pass: async (work) => {
      overlapped ||= running > 0;
      running++;
      passes.push(work);
      try {
        await hold;
        await Bun.sleep(1);
        if (fail) throw fail;
      } finally {
        running--;
      }
    },
    intervalMS: 60_000,
    maxBackoffMS: 60_000,
    upgradeEveryMS: 60_000,
    failing: (e) => failures.push(e),
    ...options,
  });
  return {
    sequencer,
    passes,
    failures,
    overlapped: () => overlapped,
    failWith: (error: Error | undefined) => void (fail = error),
    holdUntil: (promise: Promise<void> | undefined) => void (hold = promise),
  };
}

describe("sequencer", () => {
  test("passes never overlap, and what is asked during one is batched into the next", async () => {
    const r = recorder();
    const { promise: released, resolve: release } = Promise.withResolvers<void>();
    r.holdUntil(released);
    r.sequencer.written("a");
    await Bun.sleep(5);
    for (const id of ["b", "c", "b"]) r.sequencer.written(id);
    release();
    r.holdUntil(undefined);
    await r.sequencer.flush();
    expect(r.overlapped()).toBe(false);
    expect(r.passes).toEqual([
      { ids: ["a"], sweep: "none", upgrade: false },
      { ids: ["b", "c"], sweep: "all", upgrade: true },
    ]);
  });

  test("flush waits for a pass that starts after it, and rejects when that pass fails", async () => {
    const r = recorder();
    const { promise: released, resolve: release } = Promise.withResolvers<void>();
    r.holdUntil(released);
    const first = r.sequencer.flush();
    await Bun.sleep(5);
    let second = false;
    const flushed = r.sequencer.flush().then(() => (second = true));
    release();
    await first;
    expect(second).toBe(false); // the running pass started before the second flush
    await flushed;
    expect(r.passes).toHaveLength(2);
    r.failWith(new Error("down"));
    await expect(r.sequencer.flush()).rejects.toThrow("down");
  });

  test("failing passes are reported once until one succeeds; the ids of a failed pass are kept", async () => {
    const r = recorder();
    r.failWith(new Error("down"));
    r.sequencer.written("a");
    await expect(r.sequencer.flush()).rejects.toThrow("down");
    r.sequencer.written("b");
    await expect(r.sequencer.flush()).rejects.toThrow("down");
    expect(r.failures).toHaveLength(1);
    r.failWith(undefined);
    await r.sequencer.flush();
    expect(r.passes.at(-1)!.ids.sort()).toEqual(["a", "b"]);
    r.failWith(new Error("down again"));
    await expect(r.sequencer.flush()).rejects.toThrow();
    expect(r.failures.map((e) => (e as Error).message)).toEqual(["down", "down again"]);
  });

  test("the timer sweeps stale events at start and on every tick, the upgrade at start, and stops", async () => {
    const r = recorder({ intervalMS: 10, upgradeEveryMS: 60_000 });
    r.sequencer.start();
    await Bun.sleep(200);
    await r.sequencer.stop();
    const count = r.passes.length;
    expect(count).toBeGreaterThan(2);
    expect(r.passes[0]).toEqual({ ids: [], sweep: "stale", upgrade: true });
    for (const pass of r.passes.slice(1)) expect(pass).toEqual({ ids: [], sweep: "stale", upgrade: false });
    await Bun.sleep(30);
    expect(r.passes).toHaveLength(count);
    r.sequencer.written("a");
    await expect(r.sequencer.flush()).rejects.toThrow("closed");
    expect(r.passes).toHaveLength(count);
  });

  test("while passes fail, the timer backs off", async () => {
    const r = recorder({ intervalMS: 5, maxBackoffMS: 40 });
    r.failWith(new Error("down"));
    r.sequencer.start();
    await Bun.sleep(150);
    await r.sequencer.stop();
    // Without backoff ~30 passes; with it 5, 10, 20, 40, 40, … ms apart.
    expect(r.passes.length).toBeLessThan(9);
    expect(r.failures).toHaveLength(1);
  });

  test("while timer sweeps find nothing they come less often, up to maxIdleMS, and at intervalMS again once one finds something", async () => {
    let finding = 0;
    const at: number[] = [];
    const sequencer = new Sequencer({
      pass: async () => {
        at.push(Date.now());
        return finding;
      },
      intervalMS: 5,
      maxIdleMS: 1000,
      maxBackoffMS: 1000,
      upgradeEveryMS: 60_000,
      failing: () => {},
    });
    sequencer.start();
    await Bun.sleep(1500);
    // Finding nothing: 0, 10, 30, 70, 150, 310, 630, 1270 ms (a loaded machine runs timers late, so fewer); at intervalMS ~300.
    expect(at.length).toBeLessThanOrEqual(8);
    finding = 1;
    // The next sweep (at most maxIdleMS away) finds something; from then on they come at intervalMS. Timers
    // run late on a loaded machine, so the gaps are compared with maxIdleMS, not with intervalMS.
    const from = at.length;
    const until = Date.now() + 20_000;
    while (at.length < from + 11 && Date.now() < until) await Bun.sleep(10);
    await sequencer.stop();
    const gaps = at.slice(from + 1, from + 11).map((t, i) => t - at[from + i]!).sort((x, y) => x - y);
    expect(gaps).toHaveLength(10);
    expect(gaps[5]!).toBeLessThan(500);
  });

  test("stop lets a pass already scheduled for written todos run", async () => {
    const r = recorder();
    r.sequencer.written("a");
    await r.sequencer.stop();
    expect(r.passes).toEqual([{ ids: ["a"], sweep: "none", upgrade: false }]);
  });
});
