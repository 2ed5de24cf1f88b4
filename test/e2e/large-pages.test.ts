// Todos within the limits fill only so many a page: 1,000 todos with 10,000-character descriptions
// (20 MB of text) go through `todo export` and `todo search`, the migration path, in pages that each
// fit the 4 MiB that gRPC clients receive by default.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { seededDataDir } from "../support/seed";

const TODOS = 1_000;
let daemon: Daemon;

beforeAll(async () => {
  const dataDir = await seededDataDir(TODOS, (i) => ({ title: `large ${i}`, description: "ü".repeat(10_000) }));
  daemon = await startDaemon({ dataDir });
});
afterAll(async () => {
  await daemon.stop();
});

test("export and search page through todos too large for one message", async () => {
  const exported = await cli(["export", "--addr", daemon.addr]);
  expect(exported.stderr).toBe(`exported ${TODOS} todos\n`);
  expect(exported.exitCode).toBe(0);
  const lines = exported.stdout.trim().split("\n");
  expect(lines).toHaveLength(TODOS);
  expect(lines.map((l) => JSON.parse(l).title)).toEqual(Array.from({ length: TODOS }, (_, i) => `large ${i}`));

  const found = await cli(["search", "--json", "--addr", daemon.addr]);
  expect(found.exitCode).toBe(0);
  expect(found.stdout.trim().split("\n")).toHaveLength(TODOS);
  console.log(`export of ${TODOS} todos (${Math.round(exported.stdout.length / 1e6)} MB of JSON) succeeded`);
});
