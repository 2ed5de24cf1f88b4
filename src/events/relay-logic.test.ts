// The relay's logic against a stream edge in memory (test/support/fake-stream.ts) and a real SQLite
// store: confirms in and out of order, the window, a session that fails or stops confirming, a broker
// that refuses a message, and the lease taken away. relay.test.ts and the e2e tests run it on RabbitMQ.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeStream, positionMessage, until } from "../../test/support/fake-stream";
import { SqliteStore } from "../store/sqlite/sqlite-store";
import { Relay, type RelayOptions } from "./relay";
import type { OutgoingMessage } from "./stream-edge";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const todo = (title: string) => ({ title, description: "", tags: [], reminder: null, state: "STATE_NOT_STARTED" as const });
const positionOf = (m: OutgoingMessage) => m.headers["x-todo-position"] as number;

async function setUp(writes: number, options: Partial<RelayOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "todo-relay-logic-"));
  dirs.push(dir);
  const store = SqliteStore.open(dir);
  for (let i = 0; i < writes; i++) await store.create(todo(`t${i}`));
  const edge = new FakeStream();
  const warnings: string[] = [];
  const logger = { info() {}, warn: (message: string) => void warnings.push(message) };
  const relay = new Relay(
    store,
    store.leases(),
    { edge, brokerName: "fake", scrub: (t) => t, encode: positionMessage, pollMs: 10, backoffMs: { initial: 10, max: 40 }, ...options },
    logger,
  );
  const checkpoint = async () => (await store.leases().read(`relay:${edge.stream}`))?.checkpoint ?? 0;
  return {
    store,
    edge,
    relay,
    warnings,
    checkpoint,
    async close() {
      await relay.stop();
      await store.close();
    },
  };
}

describe("relay logic", () => {
  test("publishes the log in position order; the checkpoint moves over the confirmed prefix only, and is stored", async () => {
    const t = await setUp(5);
    try {
      await t.relay.start();
      await until("five published", () => t.edge.published.length === 5);
      expect(t.edge.published.map(positionOf)).toEqual([1, 2, 3, 4, 5]);
      const [, second, third] = t.edge.publisher.unconfirmed.map((u) => u.message);
      t.edge.publisher.confirm(third);
      t.edge.publisher.confirm(second);
      await Bun.sleep(50);
      expect((await t.relay.status()).confirmed).toBe(0);
      t.edge.publisher.confirm(); // position 1: 1..3 are now confirmed in order
      await until("confirmed 3", async () => (await t.relay.status()).confirmed === 3);
      await until("checkpoint 3 stored", async () => (await t.checkpoint()) === 3);
      expect(t.relay.published).toBe(3);
    } finally {
      await t.close();
    }
  });

  test("never more than `window` messages await confirms; confirms let the rest through", async () => {
    const t = await setUp(10, { window: 3 });
    try {
      await t.relay.start();
      await until("three published", () => t.edge.published.length === 3);
      await Bun.sleep(100);
      expect(t.edge.published.length).toBe(3);
      t.edge.autoConfirm = true;
      for (const { message } of [...t.edge.publisher.unconfirmed]) t.edge.publisher.confirm(message);
      await until("all confirmed", async () => (await t.relay.status()).confirmed === 10);
      expect(t.edge.published.map(positionOf)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    } finally {
      await t.close();
    }
  });

  test("a session that fails: what was not confirmed is sent again on the next, after the backoff", async () => {
    const t = await setUp(4);
    try {
      await t.relay.start();
      await until("four published", () => t.edge.published.length === 4);
      t.edge.publisher.confirm();
      t.edge.publisher.confirm();
      await until("confirmed 2", async () => (await t.relay.status()).confirmed === 2);
      t.edge.refusals.push(new Error("ECONNREFUSED"));
      t.edge.publisher.fail(new Error("the connection to RabbitMQ closed"));
      await until("a second session", () => t.edge.publishers.length === 2);
      await until("3 and 4 sent again", () => t.edge.published.length === 6);
      expect(t.edge.published.map(positionOf)).toEqual([1, 2, 3, 4, 3, 4]);
      expect(t.warnings.join("\n")).toContain("cannot publish to RabbitMQ at fake: the connection to RabbitMQ closed");
      t.edge.autoConfirm = true;
      for (const { message } of [...t.edge.publisher.unconfirmed]) t.edge.publisher.confirm(message);
      await until("confirmed 4", async () => (await t.relay.status()).confirmed === 4);
    } finally {
      await t.close();
    }
  });

  test("a message the broker refuses ends the session; it is sent again, and nothing after it is checkpointed first", async () => {
    const t = await setUp(3);
    try {
      await t.relay.start();
      await until("three published", () => t.edge.published.length === 3);
      const [first, second, third] = t.edge.publisher.unconfirmed.map((u) => u.message);
      t.edge.publisher.confirm(first);
      t.edge.publisher.confirm(third);
      t.edge.publisher.confirm(second, new Error("NACK"));
      await until("a second session", () => t.edge.publishers.length === 2);
      expect(t.warnings.join("\n")).toContain("RabbitMQ did not confirm position 2 (NACK)");
      expect((await t.relay.status()).confirmed).toBe(1);
      await until("2 and 3 sent again", () => t.edge.published.length === 5);
      expect(t.edge.published.map(positionOf).slice(3)).toEqual([2, 3]);
    } finally {
      await t.close();
    }
  });

  test("confirms that stop coming (a partition) mean a dead session: it reconnects and sends again", async () => {
    const t = await setUp(2, { confirmTimeoutMs: 150 });
    try {
      await t.relay.start();
      await until("two published", () => t.edge.published.length === 2);
      await until("a second session after the confirm timeout", () => t.edge.publishers.length === 2);
      expect(t.edge.publishers[0]!.ended).toBe(true);
      expect(t.warnings.join("\n")).toContain("RabbitMQ has not confirmed position 1");
      await until("sent again", () => t.edge.published.length === 4);
    } finally {
      await t.close();
    }
  });

  test("a holder whose renew is refused (another daemon took the lease) stops publishing at once", async () => {
    const t = await setUp(2, { leaseMs: 300 });
    try {
      t.edge.autoConfirm = true;
      await t.relay.start();
      await until("confirmed 2", async () => (await t.relay.status()).confirmed === 2);
      const leases = t.store.leases();
      await leases.release(`relay:${t.edge.stream}`, t.relay.holder);
      expect(await leases.acquire(`relay:${t.edge.stream}`, "another daemon", 60_000)).not.toBeNull();
      await until("it knows", async () => !(await t.relay.status()).holdsLease);
      expect(t.warnings.join("\n")).toContain("relay stopped publishing: another daemon took the relay lease");
      await t.store.create(todo("after the lease was lost"));
      await Bun.sleep(200);
      expect(t.edge.published.map(positionOf)).toEqual([1, 2]);
    } finally {
      await t.close();
    }
  });
});
