// A MongoDB call that passes its time limit fails alone (issue 10, defect 6): the calls in flight beside it
// on the shared client go on and succeed once the server answers; and a write that passes its limit is
// OutcomeUnknownError, never UnavailableError ("retry is safe"), because it may have been applied (defect 5).
import { afterAll, describe, expect, test } from "bun:test";
import { type FerretDb, startFerretDb } from "../../../test/support/ferretdb";
import { scaled } from "../../../test/support/time";
import { findTool } from "../../../test/support/tools";
import { OutcomeUnknownError, UnavailableError } from "../../todos/errors";
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

describe.skipIf(!binary)("MongoDB calls past their limit", () => {
  test("one call past its limit fails alone: calls started after it, on the same client, succeed when the server answers", async () => {
    const server = await startFerretDb(binary!);
    servers.push(server);
    const limit = scaled(3000);
    const store = MongoStore.open({ url: `${server.url}limits`, callTimeoutMS: limit });
    try {
      await store.prepare();
      const { todo } = await store.create(fields);
      process.kill(server.pid!, "SIGSTOP");
      const early = store.get(todo.id).then(
        () => "answered",
        (e) => e,
      );
      await Bun.sleep(limit / 2);
      const later = Array.from({ length: 100 }, () => store.get(todo.id).then((t) => t?.id, (e: Error) => `${e.constructor.name}: ${e.message}`));
      const earlyError = await early;
      expect(earlyError).toBeInstanceOf(UnavailableError);
      expect((earlyError as Error).message).toContain(`did not answer within ${limit} ms`);
      process.kill(server.pid!, "SIGCONT");
      const outcomes = await Promise.all(later);
      const failed = outcomes.filter((o) => o !== todo.id);
      console.log(`calls in flight when another passed its limit: ${outcomes.length - failed.length} of ${outcomes.length} succeeded${failed.length ? `; ${failed[0]}` : ""}`);
      expect(failed).toEqual([]);
    } finally {
      await store.close();
    }
  }, 60_000);

  test("a write past its limit is OutcomeUnknownError, and it may indeed have been applied", async () => {
    const server = await startFerretDb(binary!);
    servers.push(server);
    const limit = scaled(1500);
    const store = MongoStore.open({ url: `${server.url}limits`, callTimeoutMS: limit });
    try {
      await store.prepare();
      const { todo } = await store.create(fields);
      process.kill(server.pid!, "SIGSTOP");
      const update = await store.update(todo.id, { title: "sent before the pause ended" }).then(
        () => undefined,
        (e) => e,
      );
      expect(update).toBeInstanceOf(OutcomeUnknownError);
      expect(update).not.toBeInstanceOf(UnavailableError);
      expect((update as OutcomeUnknownError).timedOut).toBe(true);
      expect((update as Error).message).toBe(`MongoDB at ${server.url}limits did not answer within ${limit} ms; the write may or may not have happened: read the todo before writing it again (a create retried with the same id is safe)`);
      process.kill(server.pid!, "SIGCONT");
      // The update was on the wire: FerretDB applies it once it runs again.
      let title = "";
      for (const until = performance.now() + scaled(10_000); title !== "sent before the pause ended" && performance.now() < until; await Bun.sleep(50))
        title = (await store.get(todo.id))?.title ?? "";
      console.log(`a write answered OutcomeUnknownError after ${limit} ms was ${title === "sent before the pause ended" ? "applied" : "not applied"} once FerretDB resumed`);
      expect(title).toBe("sent before the pause ended");
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe.skipIf(!binary)("several writers with one etag on FerretDB", () => {
  test("through one store (one daemon): of 20 concurrent updates with one etag exactly one wins, 10 rounds out of 10; FerretDB is named at start", async () => {
    const server = await startFerretDb(binary!);
    servers.push(server);
    const warnings: string[] = [];
    const store = MongoStore.open({ url: `${server.url}etags`, warn: (m) => warnings.push(m) });
    try {
      await store.prepare();
      expect(warnings).toContainEqual(
        expect.stringMatching(new RegExp(`^MongoDB at ${server.url}etags is FerretDB v?1\\.24\\S*, whose conditional updates are not atomic: run one todo serve against it`)),
      );
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
  }, 120_000);
});
