import { afterAll, describe, expect, test } from "bun:test";
import { Long, MongoClient, ObjectId } from "mongodb";
import { startFerretDb } from "../../../test/support/ferretdb";
import { freePort } from "../../../test/support/net";
import { toolOrSkip } from "../../../test/support/tools";
import { MigrationError, migrateOriginal } from "./migrate-original";
import { fromOriginal, MIGRATE_ACTOR, type MigrationNote } from "./migrate-plan";
import { MongoStore } from "./mongo-store";

const id = ObjectId.createFromHexString("5dc58ee5d954d9bc69be5523");
const time = id.getTimestamp().getTime();

describe("an original document as todo serve stores it", () => {
  test("reminder seconds to a time (0: none), states prefixed, missing or null tags as none, the ObjectId's time, version 1", () => {
    expect(fromOriginal({ _id: id, title: "ori", description: "12factor apps", tags: ["job"], reminder: 1_573_228_261, state: "IN_PROGRESS" })).toEqual({
      todo: { id: id.toHexString(), title: "ori", description: "12factor apps", tags: ["job"], reminder: 1_573_228_261_000, state: "STATE_IN_PROGRESS", createTime: time, updateTime: time, version: 1, number: 0 },
      notes: [],
    });
    expect(fromOriginal({ _id: id, title: "t", description: "d", tags: null, reminder: 0, state: "DONE" })).toMatchObject({ todo: { tags: [], reminder: null, state: "STATE_DONE" } });
    expect(fromOriginal({ _id: id, title: "t", description: "d", reminder: -86_400, state: "DONE" })).toMatchObject({ todo: { tags: [], reminder: -86_400_000 } });
    // Missing text reads as empty, as the original's Go decoder read it.
    expect(fromOriginal({ _id: id, title: "t", state: "DONE" })).toMatchObject({ todo: { title: "t", description: "", tags: [], reminder: null } });
  });

  test("what todo serve's rules refuse is not copied, naming every rule it breaks; an unknown state is copied as the original showed it", () => {
    expect(fromOriginal({ _id: id, title: "x".repeat(201), description: "d".repeat(10_001), tags: ["a", ""], reminder: 0, state: "DONE" })).toEqual({
      skip: "todo serve's rules refuse it: title: must be at most 200 characters, got 201; description: must be at most 10000 characters, got 10001; tags: must not contain an empty tag",
    });
    expect(fromOriginal({ _id: id, title: "", state: "DONE" })).toEqual({ skip: "todo serve's rules refuse it: title: must not be empty" });
    const converted = fromOriginal({ _id: id, title: "x".repeat(200), description: "", tags: ["a"], reminder: 0, state: "BLOCKED" });
    expect(converted).toMatchObject({ todo: { title: "x".repeat(200), tags: ["a"], state: "STATE_NOT_STARTED" } });
    expect((converted as { notes: string[] }).notes).toEqual(['state is a string ("BLOCKED"), none the original wrote; copied as NOT_STARTED, as the original showed it']);
  });

  test("what cannot be a todo is skipped, saying why", () => {
    const skip = (doc: Record<string, unknown>) => (fromOriginal({ _id: id, title: "t", description: "", tags: [], reminder: 0, state: "DONE", ...doc }) as { skip?: string }).skip;
    expect(skip({ _id: "5dc58ee5d954d9bc69be5523" })).toBe('its _id is a string ("5dc58ee5d954d9bc69be5523"), not an ObjectId as todo serve\'s ids are');
    expect(skip({ title: 42 })).toBe("title is a number (42), not a string");
    expect(skip({ tags: ["a", 1] })).toBe("tags is an array, not a list of strings");
    expect(skip({ reminder: "tomorrow" })).toBe('reminder is a string ("tomorrow"), not Unix seconds');
    expect(skip({ reminder: Long.fromString("9223372036854775807") })).toBe(
      "reminder 9223372036854775807 is not Unix seconds within the years 1 to 9999, which no client can show; set it (0 for none)",
    );
  });
});

const ferretdb = toolOrSkip("ferretdb", "todo migrate against a MongoDB server");

describe.skipIf(!ferretdb)("migrateOriginal", async () => {
  const server = await startFerretDb(ferretdb!);
  const client = new MongoClient(server.url);
  afterAll(async () => {
    await client.close();
    await server.dispose();
  });

  test("a document that cannot be a todo is skipped and listed; the rest is copied", async () => {
    const from = { database: "old", collection: "skips" };
    await client.db(from.database).collection(from.collection).insertMany([
      { _id: id, title: "fine", description: "", tags: [], reminder: Long.fromNumber(0), state: "DONE" },
      { _id: new ObjectId(), title: 42, description: "", tags: [], reminder: Long.fromNumber(0), state: "DONE" },
    ] as never[]);
    const notes: MigrationNote[] = [];
    const report = await migrateOriginal({ url: `${server.url}skips`, from, onNote: (n) => notes.push(n) });
    expect(report).toEqual({ from: "old.skips", to: "skips.todos", created: 1, updated: 0, unchanged: 0, skipped: 1, gone: [] });
    expect(notes).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{24}$/), copied: false, message: "not copied: title is a number (42), not a string; correct it in old.skips and run todo migrate again" }]);
    expect(await client.db("skips").collection("todos").findOne({ _id: id })).toMatchObject({ title: "fine", state: "STATE_DONE", version: 1, migrated: { from: "old.skips", version: 1 } });
 }, 30_000);

  test("copies get their history in the event log: created at version 1, a copied change as an update; a copy deleted through todo serve stays deleted", async () => {
    const from = { database: "old", collection: "history" };
    const original = client.db(from.database).collection(from.collection);
    const [x, y] = [new ObjectId(), new ObjectId()];
    await original.insertMany([
      { _id: x, title: "x", description: "", tags: ["a"], reminder: Long.fromNumber(0), state: "DONE" },
      { _id: y, title: "y", description: "", tags: null, reminder: Long.fromNumber(0), state: "NOT_STARTED" },
    ] as never[]);
    const url = `${server.url}history`;
    expect(await migrateOriginal({ url, from })).toMatchObject({ created: 2, updated: 0 });
    const todos = client.db("history").collection("todos");
    expect(await todos.findOne({ _id: x })).toMatchObject({
      version: 1,
      pending: [{ kind: "created", version: 1, actor: MIGRATE_ACTOR, changed_fields: [], time: x.getTimestamp(), todo: { _id: x, title: "x", version: 1 } }],
    });

    const store = MongoStore.open({ url });
    try {
      await store.flush();
      await store.delete(y.toHexString(), { expectedVersion: 1 });
      await original.updateOne({ _id: x }, { $set: { title: "x, renamed", state: "IN_PROGRESS" } });
      const notes: MigrationNote[] = [];
      expect(await migrateOriginal({ url, from, onNote: (n) => notes.push(n) })).toMatchObject({ created: 0, updated: 1, unchanged: 1, skipped: 0, gone: [] });
      expect(notes).toEqual([]);
      expect(await todos.findOne({ _id: x })).toMatchObject({ title: "x, renamed", state: "STATE_IN_PROGRESS", version: 2, migrated: { version: 2 } });
      expect(await store.get(y.toHexString())).toBeNull();

      await store.flush();
      const log = await store.readEvents(0, 100);
      const history = (id: ObjectId) => log.filter((e) => e.todoId === id.toHexString()).map((e) => [e.kind, e.version, e.changedFields, e.actor]);
      expect(history(x)).toEqual([
        ["created", 1, [], MIGRATE_ACTOR],
        ["updated", 2, ["title", "state"], MIGRATE_ACTOR],
      ]);
      expect(history(y)).toEqual([
        ["created", 1, [], MIGRATE_ACTOR],
        ["deleted", 2, [], ""],
      ]);
      // Numbered as it was copied: every event of it carries the number.
      expect(log.find((e) => e.todoId === x.toHexString() && e.kind === "updated")!.todo).toEqual((await store.get(x.toHexString()))!);
      expect((await store.get(x.toHexString()))!.number).toBeGreaterThan(0);
      expect(log.find((e) => e.todoId === x.toHexString() && e.kind === "created")!.todo.number).toBe((await store.get(x.toHexString()))!.number);

      // Changed in the original after todo serve deleted it: listed, and todo serve's deletion is kept.
      await original.updateOne({ _id: y }, { $set: { title: "y, renamed" } });
      const again = await migrateOriginal({ url, from, onNote: (n) => notes.push(n) });
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1, skipped: 1, gone: [] });
      expect(notes).toEqual([
        {
          id: y.toHexString(),
          copied: false,
          message: "not copied: changed in old.history and deleted through todo serve since it was migrated; todo serve's deletion is kept (todo import with its id would create it again)",
        },
      ]);
      expect(await store.get(y.toHexString())).toBeNull();
    } finally {
      await store.close();
    }
  }, 60_000);

  test("copies are written numbered, their reminders armed: a daemon then only moves their events into the log, in a few commands", async () => {
    const from = { database: "old", collection: "many" };
    const original = client.db(from.database).collection(from.collection);
    const nowSeconds = Math.floor(Date.now() / 1000);
    // The first with a reminder ahead, the second one long passed, the rest none.
    const reminders = [nowSeconds + 3600, 1_573_228_261];
    const docs = Array.from({ length: 250 }, (_, i) => ({ _id: new ObjectId(), title: `t${i}`, description: "", tags: [], reminder: Long.fromNumber(reminders[i] ?? 0), state: "NOT_STARTED" }));
    for (let i = 0; i < docs.length; i += 100) await original.insertMany(docs.slice(i, i + 100) as never[]);
    const url = `${server.url}many`;
    expect(await migrateOriginal({ url, from })).toMatchObject({ created: docs.length, skipped: 0 });

    const copies = await client.db("many").collection("todos").find({}, { sort: { _id: 1 } }).toArray();
    const numbers = copies.map((c) => c.number);
    expect(numbers.every((n) => Number.isSafeInteger(n) && n > 0)).toBe(true);
    expect(new Set(numbers).size).toBe(docs.length);
    for (const c of copies) expect(c.pending[0].todo.number).toBe(c.number); // the created event carries it
    expect(copies.map((c) => c.reminder_due)).toEqual([new Date(reminders[0]! * 1000), ...docs.slice(1).map(() => null)]);

    // A daemon's sequencing has nothing left to number or arm: its commands grow far slower than the
    // copies (numbering each one, as its upgrade did, is three commands a copy: 750 more here).
    const commands: string[] = [];
    const store = MongoStore.open({ url, commandStarted: (command) => commands.push(command) });
    try {
      await store.flush();
      const byCommand = Object.fromEntries([...new Set(commands)].map((c) => [c, commands.filter((x) => x === c).length]));
      console.log(`sequencing ${docs.length} migrated copies: ${commands.length} commands ${JSON.stringify(byCommand)}`);
      expect(commands.length).toBeLessThanOrEqual(docs.length / 2);
      const log = await store.readEvents(0, 1000);
      expect(log.map((e) => [e.kind, e.todoId, e.todo.number])).toEqual(copies.map((c) => ["created", c._id.toHexString(), c.number]));
      expect(await client.db("many").collection("todos").countDocuments({ "pending.0": { $exists: true } })).toBe(0);
      // Run again, nothing changes: no number claimed twice, none taken.
      expect(await migrateOriginal({ url, from })).toMatchObject({ created: 0, unchanged: docs.length });
      expect((await client.db("many").collection("todos").find({}, { sort: { _id: 1 } }).toArray()).map((c) => c.number)).toEqual(numbers);
    } finally {
      await store.close();
    }
  }, 60_000);

  test("mistakes are one line, exit-2 kind for the options, the password never in them", async () => {
    const failure = (options: Parameters<typeof migrateOriginal>[0]) =>
      migrateOriginal(options).then(
        () => undefined,
        (e: MigrationError) => ({ message: e.message, badInput: e.badInput, type: e.constructor.name }),
      );
    expect(await failure({ url: `${server.url}challenge`, from: { database: "challenge", collection: "todos" } })).toEqual({
      message: "the original's collection and todo serve's are both challenge.todos: nothing to copy",
      badInput: true,
      type: "MigrationError",
    });
    expect(await failure({ url: server.url })).toEqual({
      message: `${server.url} has no collection challenge.todo: the original todod keeps its todos in challenge.todo (see --from-db, --from-collection)`,
      badInput: true,
      type: "MigrationError",
    });
    const port = await freePort();
    const unreachable = await failure({ url: `mongodb://devroot:s3cret-pw@127.0.0.1:${port}/?serverSelectionTimeoutMS=500` });
    expect(unreachable).toEqual({
      message: `cannot reach MongoDB at mongodb://devroot:***@127.0.0.1:${port}/?serverSelectionTimeoutMS=500 (ECONNREFUSED); check --mongo-url / MONGO_URL`,
      badInput: false,
      type: "MigrationError",
    });
    const malformed = await failure({ url: "mongodb://devroot:s3cret-pw@host:notaport/" });
    expect(malformed?.badInput).toBe(true);
    expect(malformed?.message).toStartWith("--mongo-url / MONGO_URL is not a usable MongoDB connection string (mongodb://devroot:***@host:notaport/): ");
    expect(JSON.stringify([unreachable, malformed])).not.toContain("s3cret");
 }, 30_000);
});
