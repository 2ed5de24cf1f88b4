// The projector's logic against a stream edge in memory (test/support/fake-stream.ts) and a real
// projection file: batching, the flush timer, resuming from the stored offset, offsets the stream no
// longer holds, the stall watch, a lost connection, and a stream that is not a stream.
// projection.test.ts and the e2e tests run it on RabbitMQ.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeStream, until } from "../../test/support/fake-stream";
import { SyntheticLog } from "../../test/support/projector";
import type { TodoEvent } from "../todos/ports";
import { Projector, type ProjectorOptions } from "./projection";
import { ProjectionModel } from "./projection-model";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const decode = (body: Uint8Array): TodoEvent => JSON.parse(Buffer.from(body).toString("utf8"));

function setUp(messages: number, options: Partial<ProjectorOptions> = {}, path?: string) {
  const file = path ?? join(mkdtempSync(join(tmpdir(), "todo-projection-logic-")), "projection.db");
  dirs.push(join(file, ".."));
  const log = new SyntheticLog();
  for (let i = 0; i < messages; i++) log.create({ title: `todo ${i}` });
  const edge = new FakeStream();
  for (const event of log.events) edge.messages.push(Buffer.from(JSON.stringify(event)));
  const model = ProjectionModel.openForWriting(file);
  const warnings: string[] = [];
  const quiet = { debug() {}, info() {}, warn: (message: string) => void warnings.push(message), error() {} };
  const projector = new Projector({ edge, model, decode, from: "first", log: quiet, flushMs: 60_000, batch: 3, backoffMs: { initial: 10, max: 40 }, ...options });
  return {
    file,
    edge,
    model,
    projector,
    warnings,
    async close() {
      await projector.stop();
      model.close();
    },
  };
}

describe("projector logic", () => {
  test("applies a full batch at once, acks up to it, and stores the next offset with it", async () => {
    const t = setUp(5);
    try {
      await t.projector.start();
      await until("consuming", () => t.edge.consumers.length === 1);
      expect(t.edge.consumer.options.from).toBe("first");
      t.edge.consumer.deliver(0, 1);
      await Bun.sleep(50);
      expect(t.projector.offset).toBe(0); // a partial batch waits for flushMs
      t.edge.consumer.deliver(2);
      expect(t.projector.offset).toBe(3);
      expect(t.projector.applied).toBe(3);
      expect(t.edge.consumer.acked).toBe(2);
      expect(t.model.resumeOffset()).toBe(3);
    } finally {
      await t.close();
    }
  });

  test("a partial batch is applied when flushMs passes", async () => {
    const t = setUp(2, { flushMs: 50 });
    try {
      await t.projector.start();
      await until("consuming", () => t.edge.consumers.length === 1);
      t.edge.consumer.deliver(0, 1);
      await until("flushed", () => t.projector.offset === 2);
      expect(t.edge.consumer.acked).toBe(1);
    } finally {
      await t.close();
    }
  });

  test("resumes from the stored offset: asks for it, and passes over (acking) what the broker sends from before it", async () => {
    const first = setUp(8);
    await first.projector.start();
    await until("consuming", () => first.edge.consumers.length === 1);
    first.edge.consumer.deliver(0, 1, 2, 3, 4, 5);
    expect(first.projector.offset).toBe(6);
    await first.close();

    const again = setUp(8, {}, first.file);
    try {
      await again.projector.start();
      await until("consuming", () => again.edge.consumers.length === 1);
      expect(again.edge.consumer.options.from).toBe(6);
      // RabbitMQ delivers from the start of the chunk holding offset 6.
      again.edge.consumer.deliver(4, 5);
      expect(again.edge.consumer.acked).toBe(5);
      expect(again.projector.applied).toBe(0);
      again.edge.consumer.deliver(6, 7);
      await again.projector.drain();
      expect(again.projector.applied).toBe(2);
      expect(again.model.resumeOffset()).toBe(8);
    } finally {
      await again.close();
    }
  });

  test("offsets the stream no longer holds are warned of, and the projection goes on", async () => {
    const t = setUp(6);
    try {
      await t.projector.start();
      await until("consuming", () => t.edge.consumers.length === 1);
      t.edge.consumer.deliver(0, 1, 5);
      expect(t.warnings.join("\n")).toContain("projection missed offsets 2 to 4 of fake-stream: the stream no longer holds them");
      expect(t.projector.offset).toBe(6);
    } finally {
      await t.close();
    }
  });

  test("a lost connection drops what was not applied; it connects again from the stored offset and applies each message once", async () => {
    const t = setUp(5);
    try {
      await t.projector.start();
      await until("consuming", () => t.edge.consumers.length === 1);
      t.edge.consumer.deliver(0, 1, 2, 3);
      expect(t.projector.offset).toBe(3);
      t.edge.consumer.fail(new Error("ECONNRESET"));
      await until("a second consumer", () => t.edge.consumers.length === 2);
      expect(t.warnings.join("\n")).toContain("projection cannot consume fake-stream at the test's memory: ECONNRESET");
      expect(t.edge.consumer.options.from).toBe(3);
      t.edge.consumer.deliver(3, 4);
      await t.projector.drain();
      expect(t.projector.applied).toBe(5);
      expect(t.projector.duplicates).toBe(0);
      expect(t.model.resumeOffset()).toBe(5);
    } finally {
      await t.close();
    }
  });

  test("the stall watch: nothing applied while the stream holds more means a stuck connection, closed and opened again", async () => {
    const t = setUp(4, { stallMs: 300 });
    try {
      await t.projector.start();
      await until("consuming", () => t.edge.consumers.length === 1);
      t.edge.consumer.deliver(0, 1, 2);
      expect(t.projector.offset).toBe(3);
      // The broker stops delivering though offset 3 is there.
      await until("reconnected", () => t.edge.consumers.length === 2, 5000);
      expect((await t.edge.consumers[0]!.closed).message).toMatch(/^nothing was applied for \d+ s though the stream holds messages from offset 3 on$/);
      expect(t.edge.consumer.options.from).toBe(3);
    } finally {
      await t.close();
    }
  });

  test("the stall watch leaves alone a projection that is up to date", async () => {
    const t = setUp(3, { stallMs: 300 });
    try {
      await t.projector.start();
      await until("consuming", () => t.edge.consumers.length === 1);
      t.edge.consumer.deliver(0, 1, 2);
      await Bun.sleep(1000);
      expect(t.edge.consumers.length).toBe(1);
    } finally {
      await t.close();
    }
  });

  test("a message without a stream offset (not a stream queue) stops the projector with that reason", async () => {
    const t = setUp(1);
    try {
      await t.projector.start();
      await until("consuming", () => t.edge.consumers.length === 1);
      t.edge.consumer.deliver(undefined);
      await expect(t.projector.done()).rejects.toThrow("a message from fake-stream has no x-stream-offset header: is it a stream queue?");
    } finally {
      await t.close();
    }
  });
});
