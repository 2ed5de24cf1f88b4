// Issue 10, defect 1: one search must not stall the daemon. 100 todos of 10 KB and a valid RE2 pattern
// whose every match takes seconds ((?i)(\pL|\pN){900}s: linear in the text, with the pattern's size as
// the constant) once blocked gRPC, /healthz and SIGTERM for ~72 s. The search now runs in a worker
// thread that is ended when its budget (5 s) is spent, its caller's deadline passes, or the daemon stops.
// The figure is GetTodo p99 < 100 ms during the search: printed here; the asserts are bounds a
// busy 2-core machine meets and a stall breaks.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cpuSeconds } from "../support/process";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { nodeClient } from "../support/node-client";
import { seededDataDir, seededId } from "../support/seed";
import { scaled, timeScale } from "../support/time";

const PATTERN = "(?i)(\\pL|\\pN){900}s";
const TODOS = 100;
const seed = () => seededDataDir(TODOS, (i) => ({ title: `todo ${i}`, description: "abcdefghij1".repeat(909) }));
/** What "answers promptly" means here: a stall of the search's length breaks it. */
const PROMPT_MS = 2_000;

let daemon: Daemon;

beforeAll(async () => {
  daemon = await startDaemon({ dataDir: await seed() });
}, 120_000); // may build dist/todo first

afterAll(async () => {
  await daemon?.stop();
});


test(
  "GetTodo and /healthz answer while the pattern is matched, and the search ends with RESOURCE_EXHAUSTED naming its budget",
  async () => {
    const health: number[] = [];
    let running = true;
    const healthProbes = (async () => {
      while (running) {
        const t0 = performance.now();
        const response = await fetch(`${daemon.httpUrl}/healthz`);
        health.push(performance.now() - t0);
        expect(response.status).toBe(200);
        await Bun.sleep(50);
      }
    })();
    const result = await nodeClient(["search-stall", daemon.addr, seededId(0), PATTERN, "60", "90"], 120).finally(() => (running = false));
    await healthProbes;
    const bound = scaled(PROMPT_MS);
    console.log(
      `search-stall: the search ended after ${result.searchMs} ms with ${result.search.code}; ${result.probes} GetTodo calls meanwhile: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (issue's target 100 ms), max ${result.maxMs} ms; /healthz max ${Math.round(Math.max(...health))} ms over ${health.length} probes (bound ${bound} ms: ${PROMPT_MS} ms × ${timeScale().toFixed(1)})`,
    );
    expect(result.search.code).toBe("RESOURCE_EXHAUSTED");
    expect(result.search.details).toMatch(/^the search used its budget of 5 s before filling the page; narrow the pattern .* or add filters/);
    expect(result.probes).toBeGreaterThan(10);
    expect(result.maxMs).toBeLessThan(bound);
    expect(health.length).toBeGreaterThan(5);
    expect(Math.max(...health)).toBeLessThan(bound);
  },
  150_000,
);

test(
  "a search whose caller's deadline passes ends with DEADLINE_EXCEEDED, and its matching stops",
  async () => {
    const result = await nodeClient(["search-stall", daemon.addr, seededId(0), PATTERN, "1", "60"], 90);
    expect(result.search.code).toBe("DEADLINE_EXCEEDED");
    // A worker still matching would burn CPU until its 5 s budget; an ended one burns none.
    await Bun.sleep(300);
    const before = cpuSeconds(daemon.pid);
    await Bun.sleep(2_000);
    const burnt = cpuSeconds(daemon.pid) - before;
    console.log(`search-stall: the daemon used ${burnt.toFixed(2)} s of CPU in the 2 s after the search's deadline`);
    expect(burnt).toBeLessThan(0.5);
  },
  120_000,
);

test(
  "SIGTERM during the search stops the daemon within DRAIN_SECONDS",
  async () => {
    const drainSeconds = 2;
    const stopping = await startDaemon({ dataDir: await seed(), env: { DRAIN_SECONDS: String(drainSeconds) } });
    const idle = cpuSeconds(stopping.pid);
    const search = cli(["search", "--pattern", PATTERN, "--timeout", "60", "--addr", stopping.addr]);
    // The search is in flight once the daemon burns CPU: an idle daemon uses next to none.
    for (let waited = 0; cpuSeconds(stopping.pid) - idle < 0.3 && waited < 60_000; waited += 50) await Bun.sleep(50);
    expect(cpuSeconds(stopping.pid) - idle).toBeGreaterThanOrEqual(0.3);
    const t0 = performance.now();
    process.kill(stopping.pid, "SIGTERM");
    const code = await stopping.process.exited;
    const ms = performance.now() - t0;
    const searched = await search;
    console.log(`search-stall: SIGTERM to exit ${Math.round(ms)} ms (DRAIN_SECONDS=${drainSeconds}), exit code ${code}; the CLI said ${JSON.stringify(searched.stderr.trim())}`);
    expect(ms).toBeLessThan(drainSeconds * 1000 + scaled(PROMPT_MS));
    expect(searched.exitCode).not.toBe(0);
  },
  120_000,
);
