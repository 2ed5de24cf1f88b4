// The relay's throughput: events per second from the log to a RabbitMQ stream, through publisher
// confirms and the checkpoint writes, as the daemon runs it (src/events/relay.ts), on the embedded store.
//   bun bench/relay.bench.ts [events=20000] [window=512] [format=protobuf]
// RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672). Each run uses a new stream and deletes it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import amqp from "amqplib";
import type { EventFormat } from "../src/config/fields";
import { encodeEventMessage } from "../src/wire/event-message";
import { amqpStream } from "../src/events/amqp-stream";
import { Relay } from "../src/events/relay";
import { SqliteStore } from "../src/store/sqlite/sqlite-store";

const [events = 20_000, window = 512] = process.argv.slice(2, 4).map(Number);
const format = (process.argv[4] ?? "protobuf") as EventFormat;
const url = process.env.RABBITMQ_URL || "amqp://guest:guest@127.0.0.1:5672";
const stream = `todo.bench.${process.pid}.${Date.now().toString(36)}`;
const dir = mkdtempSync(join(tmpdir(), "todo-relay-bench-"));
const store = SqliteStore.open(dir);

const writing = performance.now();
for (let i = 0; i < events; i++)
  await store.create({ title: `bench ${i}`, description: "a description of ordinary length for a todo", tags: ["bench", `t${i % 10}`], reminder: null, state: "STATE_NOT_STARTED" });
console.log(`log: ${events} events written in ${((performance.now() - writing) / 1000).toFixed(1)} s`);

const quiet = { info() {}, warn: (m: string) => console.warn(m) };
const relay = new Relay(store, store.leases(), { edge: amqpStream({ url, stream, connectionName: "relay bench" }), brokerName: url.replace(/\/\/[^@]*@/, "//"), scrub: (t) => t, encode: (e) => encodeEventMessage(e, format), window }, quiet);
const started = performance.now();
await relay.start();
while (relay.published < events) await Bun.sleep(5);
const seconds = (performance.now() - started) / 1000;
await relay.drain();
await relay.stop();
console.log(`relay (amqplib, ${format}, window ${window}): ${events} events confirmed in ${seconds.toFixed(2)} s = ${Math.round(events / seconds)} events/s`);

const connection = await amqp.connect(url);
const channel = await connection.createChannel();
await channel.deleteQueue(stream);
await connection.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
