// `todo search` follows pages: several calls on one connection. This is also the regression test for
// the client side of Bun's HPACK defect (src/cli/client.ts): without it every second call is reset.
import { expect, test } from "bun:test";
import { cli, startDaemon } from "../support/daemon";
import { seededDataDir, seededId } from "../support/seed";

test("search follows three pages in order, each todo once", async () => {
  const dataDir = await seededDataDir(1_234, (i) => ({ title: `todo ${i}`, tags: ["bulk"], state: "STATE_DONE" }));
  const daemon = await startDaemon({ dataDir });
  const search = await cli(["search", "--json", "--tags", "bulk", "--addr", daemon.addr]);
  expect(search.stderr).toBe("");
  const ids = search.stdout.trimEnd().split("\n").map((line) => JSON.parse(line).id);
  expect(ids).toEqual(Array.from({ length: 1_234 }, (_, i) => seededId(i)));
  const limited = await cli(["search", "--json", "--limit", "700", "--addr", daemon.addr]);
  expect(limited.stdout.trimEnd().split("\n")).toHaveLength(700);
  await daemon.stop();
});
