// Importing an export: into another daemon, every field arrives as exported, the times too; into a
// daemon that has some of its todos already, the import stops at the first (saying how to go on), or
// skips them with --skip-existing and says how many were skipped.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, type Daemon, startDaemon } from "../support/daemon";

let daemon: Daemon;
const work = mkdtempSync(join(tmpdir(), "todo-import-"));
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);

beforeAll(async () => {
  daemon = await startDaemon();
  for (const title of ["one", "two", "three"]) expect((await todo("add", title)).exitCode).toBe(0);
});
afterAll(async () => {
  await daemon.stop();
});

test("importing an export into the daemon it came from stops at line 1 and names --skip-existing", async () => {
  const file = join(work, "all.jsonl");
  expect((await todo("export", "--out", file)).exitCode).toBe(0);
  const id = JSON.parse(readFileSync(file, "utf8").split("\n")[0]!).id;
  const r = await todo("import", "--in", file);
  expect(r).toEqual({
    stdout: "",
    stderr: `todo: line 1: a todo with id ${id} already exists; 0 todos were imported before it; import again with --skip-existing to skip the todos that exist\n`,
    exitCode: 1,
  });
});

test("--skip-existing imports the others and says how many it skipped", async () => {
  const file = join(work, "all.jsonl");
  const before = (await todo("search", "--json")).stdout;
  expect(await todo("import", "--in", file, "--skip-existing")).toEqual({
    stdout: "imported 0 todos (0 kept their ids); skipped 3 lines whose id a todo has already\n",
    stderr: "",
    exitCode: 0,
  });
  expect((await todo("search", "--json")).stdout).toBe(before);

  // Into a daemon that has one of the three: the other two arrive, with their ids.
  const other = await startDaemon();
  try {
    const lines = readFileSync(file, "utf8").trim().split("\n");
    const partial = join(work, "first.jsonl");
    await Bun.write(partial, `${lines[0]}\n`);
    expect((await cli(["import", "--in", partial, "--addr", other.addr])).exitCode).toBe(0);
    const r = await cli(["import", "--in", file, "--skip-existing", "--addr", other.addr]);
    expect(r.stdout).toBe("imported 2 todos (2 kept their ids); skipped 1 line whose id a todo has already\n");
    const ids = (await cli(["search", "--json", "--addr", other.addr])).stdout.trim().split("\n").map((l) => JSON.parse(l).id);
    expect(ids.sort()).toEqual(lines.map((l) => JSON.parse(l).id).sort());
  } finally {
    await other.stop();
  }
});

test("an export imported into another daemon arrives as it was: ids, fields and times", async () => {
  expect((await todo("update", (await todo("search", "--json")).stdout.split("\n")[0]!.match(/"id":"(\w+)"/)![1]!, "--description", "changed later")).exitCode).toBe(0);
  const file = join(work, "times.jsonl");
  expect((await todo("export", "--out", file)).exitCode).toBe(0);
  const other = await startDaemon();
  try {
    expect((await cli(["import", "--in", file, "--addr", other.addr])).exitCode).toBe(0);
    const exported = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const imported = (await cli(["export", "--addr", other.addr])).stdout.trim().split("\n").map((l) => JSON.parse(l));
    // The etag is the other daemon's own version count: a new todo there.
    const withoutEtag = ({ etag: _, ...rest }: Record<string, unknown>) => rest;
    expect(imported.map(withoutEtag)).toEqual(exported.map(withoutEtag));
    expect(exported.some((t) => t.updateTime !== t.createTime)).toBe(true);
  } finally {
    await other.stop();
  }
});
