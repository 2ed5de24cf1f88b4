// `todo replay` into the embedded store checks before it writes: it takes the data directory's lock (a
// daemon holding it refuses the replay with one line), and it checks the whole log (kinds, positions,
// versions) before writing an event, refusing a tampered one naming the position, the target left empty.
import { beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { copyFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { cli, startDaemon } from "../support/daemon";
import { tempDirs } from "../support/temp";

const tempDir = tempDirs();
let source: string;

/** How many events and todos a data directory holds (0 and 0 when it has no data file). */
function counts(dataDir: string): { events: number; todos: number } {
  if (!existsSync(join(dataDir, "todos.db"))) return { events: 0, todos: 0 };
  const db = new Database(join(dataDir, "todos.db"), { readonly: true });
  try {
    const count = (table: string) => db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
    return { events: count("events"), todos: count("todos") };
  } finally {
    db.close();
  }
}

/** A copy of the source's data directory with `sql` run on its log. */
function tampered(sql: string): string {
  const dir = tempDir("replay-tampered");
  for (const file of readdirSync(source).filter((f) => f.startsWith("todos.db"))) copyFileSync(join(source, file), join(dir, file));
  const db = new Database(join(dir, "todos.db"));
  db.exec(sql);
  db.close();
  return dir;
}

beforeAll(async () => {
  // Positions 1-3 create three todos, 4 updates the first, 5 deletes the second.
  source = tempDir("replay-source");
  const daemon = await startDaemon({ dataDir: source });
  const ids: string[] = [];
  for (const title of ["one", "two", "three"]) ids.push(/[0-9a-f]{24}/.exec((await cli(["add", title, "--addr", daemon.addr])).stdout)![0]);
  expect((await cli(["update", "--id", ids[0]!, "--title", "one, again", "--addr", daemon.addr])).exitCode).toBe(0);
  expect((await cli(["delete", "--id", ids[1]!, "--addr", daemon.addr])).exitCode).toBe(0);
  expect(await daemon.stop()).toBe(0);
  expect(counts(source)).toEqual({ events: 5, todos: 2 });
});

test("into a data directory a running daemon holds: refused in one line naming it, nothing written", async () => {
  const held = tempDir("replay-held");
  const daemon = await startDaemon({ dataDir: held });
  try {
    const r = await cli(["replay", "--data-dir", source, "--into-data-dir", held]);
    expect(r.stderr).toBe(`todo: --into-data-dir: ${held} is in use by another todo serve (pid ${daemon.pid}): stop it before replaying into its data directory\n`);
    expect(r.exitCode).toBe(1);
    expect(counts(held)).toEqual({ events: 0, todos: 0 });
    // The daemon still serves, and writes at position 1.
    expect((await cli(["add", "after the refused replay", "--addr", daemon.addr])).exitCode).toBe(0);
    expect(counts(held)).toEqual({ events: 1, todos: 1 });
  } finally {
    await daemon.stop();
  }
});

test("a replay into a free data directory takes the daemons' lock (todod.lock) and releases it", async () => {
  const into = tempDir("replay-into");
  const r = await cli(["replay", "--data-dir", source, "--into-data-dir", into]);
  expect(r).toEqual({ stdout: `replayed 5 events of sqlite ${source} into sqlite ${into}\n`, stderr: "", exitCode: 0 });
  expect(existsSync(join(into, "todod.lock"))).toBe(true);
  expect(existsSync(join(into, "todod.pid"))).toBe(false);
  const daemon = await startDaemon({ dataDir: into });
  expect(await daemon.stop()).toBe(0);
});

describe("a tampered log is refused naming the position, and the target stays empty", () => {
  const cases: [string, string, string][] = [
    ["an unknown kind", "UPDATE events SET kind = 'bogus' WHERE position = 2", `position 2: its kind "bogus" is not one of created, updated, deleted, reminder_due`],
    ["a position past 2^53", "UPDATE events SET position = 4611686018427387904 WHERE position = 5", "position 4611686018427387904: a position must be a whole number from 1 up to 2^53 - 1"],
    ["a version skipped", "UPDATE events SET version = 3 WHERE position = 4", "so its updated event must have version 2, not 3"],
    ["an update before its todo's creation", "UPDATE events SET position = 10 WHERE position = 1", "history starts with updated, not created"],
    ["a todo created twice", "UPDATE events SET kind = 'created', version = 2 WHERE position = 4", "is created again while it exists"],
  ];
  for (const [what, sql, reason] of cases)
    test(what, async () => {
      const from = tampered(sql);
      const into = tempDir("replay-into");
      const r = await cli(["replay", "--data-dir", from, "--into-data-dir", into]);
      expect(r.stdout).toBe("");
      expect(r.stderr.split("\n")).toHaveLength(2); // one line
      expect(r.stderr).toStartWith(`todo: sqlite ${from}: the log is not valid at `);
      expect(r.stderr).toContain(reason);
      expect(r.stderr).toEndWith("; nothing was replayed\n");
      expect(r.exitCode).toBe(1);
      expect(counts(into)).toEqual({ events: 0, todos: 0 });
    });
});
