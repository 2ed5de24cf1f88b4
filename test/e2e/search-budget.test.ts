// Issue 18, item 7: the search budget (5 s) bounds a whole SearchTodos call, not each of the chunks of
// 100 todos a page is read in. `{"pattern":"\\pL{1000}","page_size":1000}` ran 41–44 s with a core at
// 100%: ten chunks, each just under the budget. Here one match of \pL{1000} costs ~70 ms (a chunk alone
// spends the budget, so that request already ends at 5 s on this kind of machine); \pL{620} on 620
// letters costs ~30 ms a match, about 3 s a chunk, which is the shape: before the fix the
// call ran ~28 s and answered OK. Now it ends with the budget's RESOURCE_EXHAUSTED, and its worker stops.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cpuSeconds } from "../support/process";
import { type Daemon, startDaemon } from "../support/daemon";
import { unary } from "../support/grpc-call";
import { seededDataDir } from "../support/seed";

const LETTERS = 620;
/** Well above the 5 s budget, well below the ~28 s the call took before (the budget per chunk). */
const BOUND_MS = 15_000;

let daemon: Daemon;

beforeAll(async () => {
  const description = "abcdefghij".repeat(LETTERS / 10);
  daemon = await startDaemon({ dataDir: await seededDataDir(1_100, (i) => ({ title: `todo ${i}`, description })) });
}, 120_000); // may build dist/todo first

afterAll(async () => {
  await daemon?.stop();
});


test(
  "a page of 1000 whose every chunk of 100 fits the budget: the call ends with the budget's RESOURCE_EXHAUSTED, and matching stops",
  async () => {
    const started = performance.now();
    const result = await unary(daemon.addr, "/todo.v1.TodoService/SearchTodos", { pattern: `\\pL{${LETTERS}}`, page_size: 1000 });
    const ms = Math.round(performance.now() - started);
    console.log(`search-budget: the call ended after ${ms} ms with status ${result.code} (${result.response?.todos?.length ?? 0} todos)`);
    expect(result).toMatchObject({ code: 8 /* RESOURCE_EXHAUSTED */, details: expect.stringMatching(/^the search used its budget of 5 s before filling the page/) });
    expect(ms).toBeLessThan(BOUND_MS);
    // A worker still matching would burn a core; an ended one burns nothing.
    await Bun.sleep(300);
    const before = cpuSeconds(daemon.pid);
    await Bun.sleep(2_000);
    const burnt = cpuSeconds(daemon.pid) - before;
    console.log(`search-budget: the daemon used ${burnt.toFixed(2)} s of CPU in the 2 s after the answer`);
    expect(burnt).toBeLessThan(0.5);
  },
  120_000,
);
