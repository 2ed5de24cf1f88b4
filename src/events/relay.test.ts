// The relay in process, on a real SQLite store and the real RabbitMQ: what the daemon-level tests
// cannot steer, the lease taken from under a holder that has not noticed yet.
import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../store/sqlite/sqlite-store";
import { positionMessage } from "../../test/support/fake-stream";
import { deleteStream, hasEveryPosition, readStream, sharedRabbitMq, uniqueStream } from "../../test/support/rabbitmq";
import { scaled } from "../../test/support/time";
import { amqpStream } from "./amqp-stream";
import { Relay } from "./relay";

const url = await sharedRabbitMq("the relay's lease tests on the shared RabbitMQ");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean | Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await Bun.sleep(50);
  }
}

const todo = (title: string) => ({ title, description: "", tags: [], reminder: null, state: "STATE_NOT_STARTED" as const });

if (url)
  describe("relay", () => {
    test("a holder that learns another daemon took its lease stops publishing; the new holder resumes from the checkpoint", async () => {
      const dir = mkdtempSync(join(tmpdir(), "todo-relay-"));
      dirs.push(dir);
      const store = SqliteStore.open(dir);
      const stream = uniqueStream("lost-lease");
      const warnings: string[] = [];
      const logger = { info() {}, warn: (message: string) => void warnings.push(message) };
      const options = { edge: amqpStream({ url, stream, connectionName: "relay test" }), brokerName: "local", scrub: (t: string) => t, encode: positionMessage, leaseMs: 3000, pollMs: 50 };
      const first = new Relay(store, store.leases(), options, logger);
      const second = new Relay(store, store.leases(), options, logger);
      try {
        for (let i = 0; i < 10; i++) await store.create(todo(`before ${i}`));
        await first.start();
        await until("the first relay publishes the first writes", async () => (await first.status()).confirmed === 10, scaled(20_000));
        expect((await first.status()).holdsLease).toBe(true);

        // Another daemon takes the lease (as after an expiry this holder did not see: a stalled process).
        const db = new Database(join(dir, "todos.db"));
        db.run("UPDATE leases SET holder = 'another daemon', expires_at = ? WHERE name = ?", [Date.now() + 60_000, `relay:${stream}`]);
        db.close();
        // Its next renew (a third of the lease) is refused: from then on it publishes nothing.
        await until("the first relay notices", async () => !(await first.status()).holdsLease, scaled(5_000));
        expect(warnings.some((w) => w.includes("another daemon took the relay lease"))).toBe(true);
        const publishedBefore = first.published;
        for (let i = 0; i < 10; i++) await store.create(todo(`after ${i}`));
        await Bun.sleep(1000);
        expect(first.published).toBe(publishedBefore);

        // The lease passes to the second relay (the first keeps asking, and is refused), which publishes from the stored checkpoint.
        const db2 = new Database(join(dir, "todos.db"));
        db2.run("UPDATE leases SET holder = ? WHERE name = ?", [second.holder, `relay:${stream}`]);
        db2.close();
        await second.start();
        await until("the second relay catches up", async () => (await second.status()).confirmed === 20, scaled(20_000));
        expect((await first.status()).holdsLease).toBe(false);
        const messages = await readStream(url, stream, (m) => hasEveryPosition(m, 20));
        expect(messages.map((m) => m.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      } finally {
        await first.drain();
        await first.stop();
        await second.drain();
        await second.stop();
        await store.close();
        await deleteStream(url, stream);
      }
    }, 120_000);
  });
