// Group commit on the embedded store: writes that arrive together share one transaction (one fsync),
// each acknowledged after it; one that fails fails alone; events keep their positions in call order.
import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AlreadyExistsError, NotFoundError, VersionMismatchError } from "../../todos/errors";
import type { TodoFields } from "../../todos/model";
import { SqliteStore } from "./sqlite-store";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), "todo-group-commit-"));
  dirs.push(dir);
  return dir;
}
const fields = (title: string): TodoFields => ({ title, description: "", tags: [], reminder: null, state: "STATE_NOT_STARTED" });

/**
 * Frames in the WAL, then empties it: every commit appends the pages it changed, so separate commits
 * append many more than one commit of the same writes.
 */
function walFrames(dir: string): number {
  const db = new Database(join(dir, "todos.db"));
  try {
    const { log } = db.query<{ log: number }, []>("PRAGMA wal_checkpoint(PASSIVE)").get()!;
    db.query("PRAGMA wal_checkpoint(TRUNCATE)").get();
    return log;
  } finally {
    db.close();
  }
}

test("concurrent creates share one commit; one at a time each commits alone", async () => {
  const together = tempDir();
  const alone = tempDir();
  const a = SqliteStore.open(together);
  const b = SqliteStore.open(alone);
  // Empty the WAL of what opening wrote, so it holds only what the writes append.
  walFrames(together);
  walFrames(alone);
  await Promise.all(Array.from({ length: 50 }, (_, i) => a.create(fields(`together ${i}`))));
  for (let i = 0; i < 50; i++) await b.create(fields(`alone ${i}`));
  const frames = { together: walFrames(together), alone: walFrames(alone) };
  console.log(`WAL frames for 50 creates: ${frames.together} concurrent (group commit), ${frames.alone} one at a time`);
  expect(frames.together * 5).toBeLessThan(frames.alone);
  expect((await a.search({ tags: [], states: [], order: { field: "create_time", descending: false }, limit: 100 })).todos).toHaveLength(50);
  await a.close();
  await b.close();
});

test("in one group, a write that fails fails alone and the others commit, their events in call order", async () => {
  const store = SqliteStore.open(tempDir());
  const { todo: existing } = await store.create(fields("existing"));
  const calls = [
    store.create(fields("first")),
    store.update("0123456789abcdef01234567", { title: "nobody" }),
    store.update(existing.id, { title: "stale" }, { expectedVersion: 7 }),
    store.create(fields("taken"), { id: existing.id }),
    store.update(existing.id, { title: "renamed" }, { expectedVersion: 1 }),
    store.create(fields("last")),
  ];
  const outcomes = await Promise.allSettled(calls);
  expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected", "rejected", "fulfilled", "fulfilled"]);
  const reason = (i: number) => (outcomes[i] as PromiseRejectedResult).reason;
  expect(reason(1)).toBeInstanceOf(NotFoundError);
  expect(reason(2)).toBeInstanceOf(VersionMismatchError);
  expect(reason(3)).toBeInstanceOf(AlreadyExistsError);
  expect(await store.get(existing.id)).toMatchObject({ title: "renamed", version: 2 });
  const events = await store.readEvents(0, 100);
  expect(events.map((e) => [e.position, e.kind, e.todo.title])).toEqual([
    [1, "created", "existing"],
    [2, "created", "first"],
    [3, "updated", "renamed"],
    [4, "created", "last"],
  ]);
  await store.close();
});

test("writes accepted before close are committed by it", async () => {
  const dir = tempDir();
  const store = SqliteStore.open(dir);
  const pending = Array.from({ length: 5 }, (_, i) => store.create(fields(`at close ${i}`)));
  await store.close();
  expect((await Promise.all(pending)).map((c) => c.todo.title)).toEqual(["at close 0", "at close 1", "at close 2", "at close 3", "at close 4"]);
  const reopened = SqliteStore.open(dir);
  expect((await reopened.readEvents(0, 10)).length).toBe(5);
  await reopened.close();
});
