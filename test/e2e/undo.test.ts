// `todo undo` through the compiled binary (issue 21, docs/undo.md): the caller's own changes only, a
// bulk change undone whole, a delete undone under the todo's id and number, a todo changed since left
// alone with the reason.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, type Daemon, startDaemon } from "../support/daemon";

const ALICE = `alice-${"a1".repeat(16)}`;
const BOB = `bob-${"b2".repeat(16)}`;
const dir = mkdtempSync(join(tmpdir(), "todo-undo-"));
writeFileSync(join(dir, "tokens"), `alice:${ALICE}\nbob:${BOB}\n`);

let daemon: Daemon;
const as = (token: string) => (...args: string[]) => cli([...args, "--addr", daemon.addr, "--token", token]);
const alice = as(ALICE);
const bob = as(BOB);
/** Changes are told apart by a pause between a caller's writes (docs/undo.md): this is the next command's. */
const nextChange = () => Bun.sleep(1200);
const stateOf = async (word: string) => (JSON.parse((await alice("read", word, "--json")).stdout) as { state: string }).state;

beforeAll(async () => {
  daemon = await startDaemon({ env: { TODO_AUTH_TOKENS_FILE: join(dir, "tokens") } });
});
afterAll(async () => {
  await daemon.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("undo reverts the caller's last change, a bulk one whole, a delete under its id and number; --list shows them", async () => {
  for (const title of ["milk", "bread", "eggs"]) expect((await alice("add", title, "+shop")).exitCode).toBe(0);
  expect((await bob("add", "bob's own")).exitCode).toBe(0);
  await nextChange();
  expect((await alice("done", "+shop", "--yes")).exitCode).toBe(0);
  await nextChange();
  const milk = (await alice("read", "1", "--json")).stdout;
  expect((await alice("delete", "1")).exitCode).toBe(0);

  const listed = (await alice("undo", "--list")).stdout.split("\n");
  expect(listed.map((line) => line.replace(/^( ?\d+)  .*?  /, "$1  "))).toEqual([
    ' 1  deleted: "milk"',
    ' 2  set DONE: 3 todos, "milk", "bread", "eggs"',
    ' 3  added: 3 todos, "milk", "bread", "eggs"',
    "",
  ]);
  expect((await bob("undo", "--list")).stdout).toMatch(/^ 1 {2}.* {2}added: "bob's own"\n$/);

  // The delete: back under its id and number, as it was.
  expect(await alice("undo")).toEqual({ stdout: "restored 1 (milk)\n", stderr: "", exitCode: 0 });
  const restored = JSON.parse((await alice("read", "1", "--json")).stdout);
  const before = JSON.parse(milk);
  expect({ ...restored, etag: undefined, updateTime: undefined }).toEqual({ ...before, etag: undefined, updateTime: undefined });
  await nextChange();
  // The bulk done (now the third last, after the delete and its undo): the whole batch, but milk changed
  // since (deleted, then restored): it is left as it is, and said so.
  const milkId = restored.id;
  expect(await alice("undo", "3")).toEqual({
    stdout: "reverted 2 (bread): state as before\nreverted 3 (eggs): state as before\n",
    stderr: `todo: ${milkId}: 1 (milk) changed since: left as it is (todo read ${milkId} shows it)\ntodo: 1 of 3 todos failed (each is named above)\n`,
    exitCode: 1,
  });
  expect(await Promise.all(["1", "2", "3"].map(stateOf))).toEqual(["STATE_DONE", "STATE_NOT_STARTED", "STATE_NOT_STARTED"]);
  expect((await alice("search")).stdout).toContain("bob's own");
}, 60_000);

test("a todo changed since the change is left alone, with the reason; nothing else is written", async () => {
  await nextChange();
  expect((await alice("done", "2")).exitCode).toBe(0);
  await nextChange();
  expect((await bob("update", "2", "--title", "brown bread")).exitCode).toBe(0);
  const { id, etag } = JSON.parse((await alice("read", "2", "--json")).stdout);
  expect(await alice("undo")).toEqual({ stdout: "", stderr: `todo: 2 (bread) changed since: left as it is (todo read ${id} shows it)\n`, exitCode: 1 });
  expect(JSON.parse((await alice("read", "2", "--json")).stdout)).toMatchObject({ etag, state: "STATE_DONE", title: "brown bread" });
  expect(await alice("undo", "99")).toMatchObject({ stderr: expect.stringContaining("todo undo --list shows them"), exitCode: 1 });
}, 60_000);
