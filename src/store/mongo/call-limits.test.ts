// A MongoDB call that passes its time limit fails alone (issue 10, defect 6): the calls in flight beside it
// on the shared client go on and succeed once the server answers; a write not yet sent when it passes its
// limit is UnavailableError and is never sent. A sent one is OutcomeUnknownError, never UnavailableError
// ("retry is safe"), because it may have been applied (defect 5): serialized-writes.test.ts holds one.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { type FerretDb, startFerretDb } from "../../../test/support/ferretdb";
import { scaled } from "../../../test/support/time";
import { findTool } from "../../../test/support/tools";
import { UnavailableError } from "../../todos/errors";
import type { TodoFields } from "../../todos/model";
import { MongoStore } from "./mongo-store";

const binary = findTool("ferretdb");
if (!binary && process.env.CI === "true") throw new Error("ferretdb is required under CI=true (scripts/install-tools.sh ferretdb)");
if (!binary) console.warn("skipping the MongoDB call limit tests: ferretdb is not installed (scripts/install-tools.sh ferretdb)");

const fields: TodoFields = { title: "t", description: "", tags: [], reminder: null, state: "STATE_NOT_STARTED" };
const servers: FerretDb[] = [];
afterAll(async () => {
  for (const server of servers) {
    if (server.pid) process.kill(server.pid, "SIGCONT");
    await server.dispose();
  }
});

/**
 * SIGSTOP, then waits until the kernel reports FerretDB stopped: the signal is delivered on its own
 * time, and on a loaded machine FerretDB could still answer the next command (a failure in a 5x run).
 */
async function pause(server: FerretDb) {
  process.kill(server.pid!, "SIGSTOP");
  const state = () => readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1]?.[0];
  for (let i = 0; i < 400 && state() !== "T"; i++) await Bun.sleep(5);
}

describe.skipIf(!binary)("MongoDB calls past their limit", () => {
  test("one call past its limit fails alone: calls started after it, on the same client, succeed when the server answers", async () => {
    const server = await startFerretDb(binary!);
    servers.push(server);
    const limit = 4000;
    // The driver's monitor would find the stopped server itself after connectTimeoutMS and fail every
    // call: with it patient, what fails a call here is its own limit alone.
    const store = MongoStore.open({ url: `${server.url}limits?connectTimeoutMS=60000&heartbeatFrequencyMS=60000`, callTimeoutMS: limit });
    try {
      await store.prepare();
      const { todo } = await store.create(fields);
      await pause(server);
      const early = store.get(todo.id).then(
        () => "answered",
        (e) => e,
      );
      await Bun.sleep(limit / 2);
      const later = Array.from({ length: 100 }, () => store.get(todo.id).then((t) => t?.id, (e: Error) => `${e.constructor.name}: ${e.message}`));
      const earlyError = await early;
      expect(earlyError).toBeInstanceOf(UnavailableError);
      expect((earlyError as Error).message).toContain(`did not answer within ${limit} ms`);
      await Bun.sleep(300);
      process.kill(server.pid!, "SIGCONT");
      const outcomes = await Promise.all(later);
      const failed = outcomes.filter((o) => o !== todo.id);
      console.log(`calls in flight when another passed its limit: ${outcomes.length - failed.length} of ${outcomes.length} succeeded${failed.length ? `; ${failed[0]}` : ""}`);
      expect(failed).toEqual([]);
    } finally {
      await store.close();
    }
  }, 300_000);

  test("past its limit, a write not yet sent is UnavailableError and is never sent, an update's or a create's", async () => {
    const server = await startFerretDb(binary!);
    servers.push(server);
    const limit = 1500;
    const store = MongoStore.open({ url: `${server.url}limits?connectTimeoutMS=60000&heartbeatFrequencyMS=60000`, callTimeoutMS: limit });
    try {
      await store.prepare();
      const { todo } = await store.create(fields);

      // Stopped before the update's read: nothing was written, and nothing will be once FerretDB runs again.
      await pause(server);
      const unsent = await store.update(todo.id, { title: "never sent" }).then(() => undefined, (e) => e);
      expect(unsent).toBeInstanceOf(UnavailableError);
      process.kill(server.pid!, "SIGCONT");
      await Bun.sleep(scaled(1000));
      expect(await store.get(todo.id)).toMatchObject({ title: "t", version: 1 });

      // Stopped while a create claims its short number (its first command, before the todo's insert):
      // the todo was not written and never will be; at most a number is left unused. (A write that is on
      // the wire when its call expires answers OutcomeUnknownError: serialized-writes.test.ts holds one.)
      await pause(server);
      const unclaimed = await store.create({ ...fields, title: "created while paused" }).then(() => undefined, (e) => e);
      expect(unclaimed).toBeInstanceOf(UnavailableError);
      expect((unclaimed as Error).message).toContain(`did not answer within ${limit} ms; the daemon keeps trying`);
      process.kill(server.pid!, "SIGCONT");
      await Bun.sleep(scaled(1000));
      const search = () => store.search({ pattern: "^created while paused", tags: [], states: [], order: { field: "title", descending: false }, limit: 10 });
      expect((await search()).todos).toEqual([]);
    } finally {
      await store.close();
    }
  }, 300_000);
});

describe.skipIf(!binary)("several writers with one etag on FerretDB", () => {
  test("through one store (one daemon): of 20 concurrent updates with one etag exactly one wins, 10 rounds out of 10", async () => {
    const server = await startFerretDb(binary!);
    servers.push(server);
    const store = MongoStore.open({ url: `${server.url}etags` });
    try {
      await store.prepare();
      const winners: number[] = [];
      for (let round = 0; round < 10; round++) {
        const { todo } = await store.create(fields);
        const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.update(todo.id, { title: `writer ${i}` }, { expectedVersion: 1 })));
        winners.push(outcomes.filter((o) => o.status === "fulfilled").length);
        expect((await store.get(todo.id))?.version).toBe(2);
      }
      console.log(`winners per round of 20 same-etag updates through one store on FerretDB: ${winners.join(" ")}`);
      expect(winners).toEqual(Array(10).fill(1));
    } finally {
      await store.close();
    }
  }, 300_000);

  // Three stores are three daemons: nothing of one process serialises their writes; only the claims do
  // (docs/events.md, "Claims"). Before them, two of 21 writers often both won.
  test("through three stores (three daemons): of 21 concurrent updates with one etag exactly one wins and the others are told the etag changed, 10 rounds out of 10; concurrent plain updates are all kept, each with its event", async () => {
    const server = await startFerretDb(binary!);
    servers.push(server);
    const stores = [0, 1, 2].map(() => MongoStore.open({ url: `${server.url}replicas` }));
    try {
      await Promise.all(stores.map((store) => store.prepare()));
      const winners: number[] = [];
      const lossReasons = new Set<string>();
      for (let round = 0; round < 10; round++) {
        const { todo } = await stores[0]!.create(fields);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 21 }, (_, i) => stores[i % 3]!.update(todo.id, { title: `writer ${i}` }, { expectedVersion: 1 })),
        );
        winners.push(outcomes.filter((o) => o.status === "fulfilled").length);
        for (const o of outcomes) if (o.status === "rejected") lossReasons.add((o.reason as Error).constructor.name);
        for (const store of stores) expect((await store.get(todo.id))?.version).toBe(2);
      }
      console.log(`winners per round of 21 same-etag updates through three stores on FerretDB: ${winners.join(" ")}`);
      expect(winners).toEqual(Array(10).fill(1));
      expect([...lossReasons]).toEqual(["VersionMismatchError"]);

      // 3 stores x 10 updates without an etag, at once: every acknowledged one is a version of its own.
      const { todo } = await stores[0]!.create(fields);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) => stores[i % 3]!.update(todo.id, { title: `plain ${i}` })),
      );
      const kept = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
      expect(kept.length).toBeGreaterThan(0);
      expect(new Set(kept.map((change) => change.version)).size).toBe(kept.length);
      expect((await stores[1]!.get(todo.id))?.version).toBe(1 + kept.length);
      await Promise.all(stores.map((store) => store.flush()));
      const events = (await stores[2]!.readEvents(0, 10_000)).filter((event) => event.todoId === todo.id);
      expect(events.map((event) => event.version)).toEqual(Array.from({ length: 1 + kept.length }, (_, i) => i + 1));
      expect(new Set(events.map((event) => event.eventId))).toEqual(new Set([events[0]!.eventId, ...kept.map((change) => change.eventId)]));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  }, 300_000);
});

describe.skipIf(!binary)("creates written together (create-batches.ts)", () => {
  // Concurrent creates go as one insert of their numbers and one of their documents; through three stores
  // (three daemons) the numbers they claim at once still never collide.
  test("64 concurrent creates through one store take a few inserts, not 128; through three stores, 90 creates get 90 distinct numbers and all their events", async () => {
    const server = await startFerretDb(binary!);
    servers.push(server);
    const inserts = { count: 0 };
    const store = MongoStore.open({ url: `${server.url}batches`, commandStarted: (command) => command === "insert" && inserts.count++ });
    const others = [0, 1].map(() => MongoStore.open({ url: `${server.url}batches` }));
    try {
      await Promise.all([store, ...others].map((s) => s.prepare()));
      await store.create(fields); // the counter read, the indexes made
      inserts.count = 0;
      const alone = await Promise.all(Array.from({ length: 64 }, (_, i) => store.create({ ...fields, title: `together ${i}` })));
      console.log(`inserts for 64 concurrent creates through one store: ${inserts.count}`);
      expect(inserts.count).toBeLessThanOrEqual(16);
      expect(new Set(alone.map((c) => c.todo.number)).size).toBe(64);

      const stores = [store, ...others];
      const changes = await Promise.all(Array.from({ length: 90 }, (_, i) => stores[i % 3]!.create({ ...fields, title: `three ${i}` })));
      const numbers = [...alone, ...changes].map((c) => c.todo.number);
      expect(new Set(numbers).size).toBe(numbers.length);
      for (const change of changes) expect((await others[0]!.get(change.todoId))?.number).toBe(change.todo.number);
      await Promise.all(stores.map((s) => s.flush()));
      const logged = new Set((await others[1]!.readEvents(0, 10_000)).map((event) => event.eventId));
      for (const change of [...alone, ...changes]) expect(logged.has(change.eventId)).toBe(true);
    } finally {
      await Promise.all([store, ...others].map((s) => s.close()));
    }
  }, 300_000);
});
