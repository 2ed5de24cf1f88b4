// A pattern with catastrophic backtracking must not stall the daemon: RE2 matches in linear time and
// the store matches in a worker thread (docs/search.md), so other calls keep answering
// within 100 ms while the search runs (on an idle machine; scaled by how busy it is: a backtracking
// engine would stall for minutes).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { nodeClient } from "../support/node-client";
import { scaled, timeScale } from "../support/time";

const TODOS = 3_000;
const SEARCHES = 10;
const BOUND_MS = 100;
const DEADLINE_SECONDS = 150;

let daemon: Daemon;

beforeAll(async () => {
  daemon = await startDaemon();
}, 120_000); // may build dist/todo first

afterAll(async () => {
  await daemon?.stop();
});

test(
  `GetTodo answers within ${BOUND_MS} ms while ^(a+)+$ is matched against ${TODOS} todos of a…a!`,
  async () => {
    const result = await nodeClient(["regex-dos", daemon.addr, String(TODOS), "^(a+)+$", String(SEARCHES), String(DEADLINE_SECONDS)], DEADLINE_SECONDS + 30);
    const bound = scaled(BOUND_MS);
    console.log(
      `regex-dos: ${result.searches} searches over ${result.seeded} todos took ${result.searchMs} ms; ${result.duringSearch} of ${result.probes} GetTodo calls started during it, slowest ${result.maxMs} ms (bound ${bound} ms: ${BOUND_MS} ms × ${timeScale().toFixed(1)}, how busy the machine is)`,
    );
    expect(result.found).toEqual(Array(SEARCHES).fill(0));
    expect(result.nextPageTokens).toEqual(Array(SEARCHES).fill(""));
    expect(result.maxMs).toBeLessThan(bound);
  },
  (DEADLINE_SECONDS + 60) * 1000,
);

test("an invalid pattern is INVALID_ARGUMENT naming the field", async () => {
  // The CLI says "invalid argument" and exits 2 for INVALID_ARGUMENT only.
  const invalid = await cli(["search", "--pattern", "(", "--addr", daemon.addr]);
  expect(invalid.stdout).toBe("");
  expect(invalid.stderr).toMatch(/^todo: invalid argument: pattern: .*\(.*\n$/);
  expect(invalid.exitCode).toBe(2);
});
