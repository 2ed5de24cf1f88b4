// Mistakes a person makes on the command line are refused with one line naming them (exit 2), and
// change nothing: an import's state the encoder would have turned into NOT_STARTED, a reminder on a
// day the calendar does not have, a timeout too long for a timer.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, type Daemon, startDaemon } from "../support/daemon";

let daemon: Daemon;
const work = mkdtempSync(join(tmpdir(), "todo-mistakes-"));
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);

beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

test("import takes the CLI's spelling of a state, and refuses one it does not know instead of making it NOT_STARTED", async () => {
  const good = join(work, "good.jsonl");
  await Bun.write(good, `${JSON.stringify({ title: "finished", state: "DONE" })}\n${JSON.stringify({ title: "going", state: "STATE_IN_PROGRESS" })}\n`);
  expect((await todo("import", "--in", good)).exitCode).toBe(0);
  const states = (await todo("search", "--json")).stdout.trim().split("\n").map((l) => [JSON.parse(l).title, JSON.parse(l).state]);
  expect(states).toEqual([["finished", "STATE_DONE"], ["going", "STATE_IN_PROGRESS"]]);

  for (const state of ["BOGUS", ""]) {
    const bad = join(work, "bad.jsonl");
    await Bun.write(bad, `${JSON.stringify({ title: "never", state })}\n`);
    const r = await todo("import", "--in", bad);
    expect(r.stderr).toStartWith(`todo: line 1: state: ${JSON.stringify(state)} is not one of STATE_NOT_STARTED, STATE_IN_PROGRESS, STATE_DONE`);
    expect(r.exitCode).not.toBe(0);
  }
  expect((await todo("search", "--json")).stdout.trim().split("\n")).toHaveLength(2);
});

test("a reminder on February 30 is refused in every form, not stored as March 2", async () => {
  for (const reminder of ["2026-02-30", "2026-02-30 09:00", "2026-02-30T09:00:00Z"]) {
    const r = await todo("add", "never", "--reminder", reminder);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("2026-02-30");
  }
  expect((await todo("search", "never", "--json")).stdout).toBe("");
});

test("--timeout beyond a day is refused, naming the limit, instead of failing at once", async () => {
  expect(await todo("ls", "--timeout", "1e9")).toEqual({ stdout: "", stderr: 'todo: --timeout / TODO_TIMEOUT: "1e9" is more than 86400 seconds (a day)\n', exitCode: 2 });
  expect((await todo("ls", "--timeout", "86400")).exitCode).toBe(0);
});

test("an update with nothing to change is refused by the CLI and changes nothing", async () => {
  const id = (await todo("add", "stays")).stdout.trim().split(" ")[1]!;
  expect((await todo("update", id)).exitCode).toBe(2);
  expect(JSON.parse((await todo("read", id, "--json")).stdout).etag).toBe("1");
});
