// Short numbers (issue 21, docs/short-numbers.md), through the compiled binary on both stores: each
// todo gets the next number, lists show it, every command that takes an id takes it, a deleted number
// is never given again, and a word of decimal digits is always a number (id prefixes keep working).
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { startFerretDb } from "../support/ferretdb";
import { toolOrSkip } from "../support/tools";

const ferretdb = toolOrSkip("ferretdb", "short numbers on MongoDB");
const work = mkdtempSync(join(tmpdir(), "todo-short-numbers-"));
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  rmSync(work, { recursive: true, force: true });
});

const stores: [string, () => Promise<Record<string, string>>][] = [["sqlite", async () => ({})]];
if (ferretdb)
  stores.push([
    "mongodb",
    async () => {
      const server = await startFerretDb(ferretdb);
      cleanup.push(() => server.dispose());
      return { MONGO_URL: `${server.url}numbers` };
    },
  ]);

describe.each(stores)("short numbers on %s", (_, storeEnv) => {
  let daemon: Daemon;
  const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);
  const add = async (title: string) => (await todo("add", title)).stdout.trim().split(" ")[1]!;
  const numberOf = async (word: string) => (JSON.parse((await todo("read", word, "--json")).stdout) as { number?: string }).number;

  test("each todo gets the next number; lists, read and --json show it; done, read, update and delete take it", async () => {
    daemon = await startDaemon({ env: await storeEnv(), dataDir: mkdtempSync(join(work, "data-")) });
    cleanup.push(() => daemon.stop());
    const [milk, bread, eggs] = [await add("milk"), await add("bread"), await add("eggs")];
    const listed = (await todo("ls")).stdout.split("\n");
    expect(listed[0]).toMatch(/^#\s+ID\s+STATE/);
    expect(listed.slice(1, 4).map((line) => line.split(/\s+/).slice(0, 2))).toEqual([
      ["1", milk],
      ["2", bread],
      ["3", eggs],
    ]);
    expect(await todo("done", "2")).toEqual({ stdout: `done ${bread}\n`, stderr: "", exitCode: 0 });
    expect((await todo("read", "3")).stdout).toContain(`ID           ${eggs}\nNumber       3\n`);
    expect(await numberOf("1")).toBe("1");
    expect((await todo("update", "1", "--title", "oat milk")).exitCode).toBe(0);
    expect((await todo("read", milk, "--json")).stdout).toContain('"title":"oat milk"');
    // A number is never given again, not even after its todo is deleted.
    expect(await todo("delete", "3", "--yes")).toMatchObject({ stdout: `deleted ${eggs}\n`, exitCode: 0 });
    expect(await numberOf(await add("jam"))).toBe("4");
    expect(await todo("read", "3")).toEqual({ stdout: "", stderr: "todo: no todo has number 3 (todo ls shows each todo's number)\n", exitCode: 1 });
    // Id prefixes keep working.
    expect(await numberOf(milk.slice(0, 10))).toBe("1");
  }, 60_000);

  test("digits alone are a number, even when an id starts with them; the error shows the prefix to type", async () => {
    const id = "6916000000000000000000ab";
    const file = join(work, `import-${daemon.grpcPort}.jsonl`);
    writeFileSync(file, `${JSON.stringify({ id, title: "imported" })}\n`);
    expect((await todo("import", "--in", file)).exitCode).toBe(0);
    expect(await todo("read", "6916")).toEqual({
      stdout: "",
      stderr: "todo: no todo has number 6916; digits alone are a number: for the id that starts 6916, type on to its first letter (6916000000000000000000a) or give the whole id\n",
      exitCode: 2,
    });
    expect(await numberOf("6916000000000000000000a")).toBe("5");
    expect(await numberOf(id)).toBe("5");
  }, 60_000);
});
