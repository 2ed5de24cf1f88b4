// The projector in process, on the shared RabbitMQ through a proxy the test cuts: what the binary-level
// tests cannot time, a connection lost while a partial batch waits for its flush.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeEventMessage } from "../wire/event-message";
import { StreamPublisher, SyntheticLog } from "../../test/support/projector";
import { sharedRabbitMq, uniqueStream } from "../../test/support/rabbitmq";
import { TcpProxy } from "../../test/support/tcp-proxy";
import { scaled } from "../../test/support/time";
import { amqpStream } from "./amqp-stream";
import { Projector } from "./projection";
import { ProjectionModel } from "./projection-model";

const url = await sharedRabbitMq("the projector's in-process tests on the shared RabbitMQ");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await Bun.sleep(50);
  }
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

if (url)
  describe("projector", () => {
    test("a connection lost while a partial batch waits for its flush: after reconnecting, partial batches are applied again", async () => {
      const dir = mkdtempSync(join(tmpdir(), "todo-projector-"));
      dirs.push(dir);
      const log = new SyntheticLog();
      for (let i = 0; i < 30; i++) log.create({ title: `todo ${i}` });
      const publisher = await StreamPublisher.open(uniqueStream("flush"));
      const network = await TcpProxy.start({ host: "127.0.0.1", port: 5672 });
      const model = ProjectionModel.openForWriting(join(dir, "projection.db"));
      // A flush 3 s after the first message of a batch: the cut below lands while one waits. The stall
      // watch is kept out of this test: it would mask a projector that stands still.
      const projector = new Projector({
        edge: amqpStream({ url: `amqp://guest:guest@127.0.0.1:${network.port}`, stream: publisher.stream, connectionName: "projector test" }),
        model,
        decode: decodeEventMessage,
        from: "first",
        log: quiet,
        flushMs: 3000,
        backoffMs: { initial: 100, max: 500 },
        stallMs: 600_000,
      });
      try {
        await projector.start();
        await publisher.publish(log.events.slice(0, 10));
        await until("the projector connected", () => projector.connected, scaled(10_000));
        await Bun.sleep(1000);
        expect(projector.offset).toBe(0);
        await network.cut();
        await network.open();
        // Delivered again from the start; fewer than a batch, so applied by the flush timer alone.
        await until("the first 10 applied after reconnecting", () => projector.offset === 10, scaled(20_000));
        await publisher.publish(log.events.slice(10));
        await until("all 30 applied", () => projector.offset === log.events.length, scaled(20_000));
      } finally {
        await projector.stop();
        model.close();
        await network.cut();
        await publisher.close();
      }
    }, 120_000);
  });
