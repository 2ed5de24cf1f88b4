// The look for the original todod's todos, against a FerretDB of its own: the original's database name
// is fixed (challenge), so these tests never run against a shared MONGO_URL server.
import { afterAll, describe, expect, test } from "bun:test";
import { Long, MongoClient } from "mongodb";
import { startFerretDb } from "../../../test/support/ferretdb";
import { toolOrSkip } from "../../../test/support/tools";
import { COLLECTION } from "./documents";
import { MongoStore } from "./mongo-store";
import { ORIGINAL, originalTodosWaiting, watchOriginalTodos } from "./original-data";

const binary = toolOrSkip("ferretdb", "the look for the original todod's todos");

/** Polls until `done` holds, for at most ~30 s (the store looks in the background; a busy machine is slow). */
async function eventually(done: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !done(); i++) await Bun.sleep(50);
}

describe.skipIf(!binary)("the original todod's todos, waiting in challenge.todo", async () => {
  const server = await startFerretDb(binary!);
  const client = new MongoClient(server.url);
  afterAll(async () => {
    await client.close();
    await server.dispose();
  });
  const original = client.db(ORIGINAL.database).collection(ORIGINAL.collection);
  await original.insertMany([1, 2, 3].map((i) => ({ title: `t${i}`, description: "", tags: null, reminder: Long.fromNumber(0), state: "NOT_STARTED" })));

  test("a store on an empty collection says so once, naming todo migrate, and reports the count", async () => {
    const counts: number[] = [];
    const warnings: string[] = [];
    const store = MongoStore.open({ url: `${server.url}fresh`, originalTodos: (n) => counts.push(n), warn: (m) => warnings.push(m) });
    await eventually(() => counts.length > 0);
    expect(counts).toEqual([3]);
    // (FerretDB also hears that several daemons on it can lose updates: not this test's subject.)
    expect(warnings.filter((w) => !w.includes("is FerretDB"))).toEqual([
      "fresh.todos is empty, but challenge.todo holds 3 todos of the original todod, which todo serve does not read: " +
        "copy them with `todo migrate` (same MONGO_URL and MONGO_DB; it only reads challenge.todo)",
    ]);
    await store.close();
  }, 60_000);

  test("a store whose collection holds todos reports 0 and says nothing", async () => {
    await client.db("used").collection(COLLECTION).insertOne({ title: "mine" });
    const counts: number[] = [];
    const warnings: string[] = [];
    const store = MongoStore.open({ url: `${server.url}used`, originalTodos: (n) => counts.push(n), warn: (m) => warnings.push(m) });
    await eventually(() => counts.length > 0);
    // The FerretDB warning (see above) may come before or after the count: only the original's is looked for.
    expect([counts, warnings.filter((w) => !w.includes("is FerretDB"))]).toEqual([[0], []]);
    await store.close();
  }, 60_000);

  test("it looks again while todos wait, and reports 0 once the store's collection holds some", async () => {
    const own = client.db("later").collection(COLLECTION);
    const counts: number[] = [];
    const stop = watchOriginalTodos({ count: () => originalTodosWaiting(client, own), report: (n) => counts.push(n), warn: () => {}, collection: "later.todos", recheckMS: 50 });
    await eventually(() => counts.length >= 2);
    expect(counts.slice(0, 2)).toEqual([3, 3]);
    await own.insertOne({ title: "migrated" });
    await eventually(() => counts.at(-1) === 0);
    stop();
    expect(counts.at(-1)).toBe(0);
    expect(counts.filter((n) => n === 0)).toHaveLength(1); // and then it stops looking
  }, 60_000);
});
