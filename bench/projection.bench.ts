// How fast `todo project` catches up: publishes EVENTS synthetic events (a mix of creates, updates,
// deletes and reminders due) to a fresh stream on RabbitMQ (EVENTS_URL, default the local one), then
// times the compiled binary from its start until its stored offset covers them all.
//   bun bench/projection.bench.ts            EVENTS=50000 FORMAT=json bun bench/projection.bench.ts
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { ensureBinary } from "../test/support/binary";
import { projectionFile, StreamPublisher, startProjector, stats, SyntheticLog } from "../test/support/projector";
import { SHARED_RABBITMQ_URL, uniqueStream } from "../test/support/rabbitmq";

const wanted = Number(process.env.EVENTS ?? 20_000);
const format = process.env.FORMAT === "json" ? "json" : "protobuf";
const url = process.env.EVENTS_URL ?? SHARED_RABBITMQ_URL;

await ensureBinary();
const log = new SyntheticLog();
const ids: string[] = [];
while (log.events.length < wanted) {
  const i = ids.length;
  ids.push(log.create({ title: `bench ${i}`, tags: [`t${i % 20}`], reminder: i % 3 ? null : Date.UTC(2026, 0, 1) + i }));
  if (i % 2 === 0) log.update(ids[i]!, { state: i % 4 ? "STATE_IN_PROGRESS" : "STATE_DONE" });
  if (i % 3 === 0 && i % 4) log.reminderDue(ids[i]!);
  if (i % 10 === 9) log.remove(ids[i - 1]!);
}
const events = log.events.slice(0, wanted);
const stream = await StreamPublisher.open(uniqueStream("bench"), url);
let started = performance.now();
for (let i = 0; i < events.length; i += 1000) await stream.publish(events.slice(i, i + 1000), format);
const publishMs = performance.now() - started;

const db = projectionFile();
started = performance.now();
const projector = await startProjector({ stream: stream.stream, db, url });
let offset = 0;
while (offset < events.length) {
  await Bun.sleep(50);
  offset = (await stats(db).catch(() => ({ offset: 0 }))).offset;
}
const projectMs = performance.now() - started;
await projector.stop();
await stream.close();
rmSync(dirname(db), { recursive: true });

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString("en");
console.log(`${events.length} events (${format}): published (confirmed) in ${(publishMs / 1000).toFixed(2)} s, ${rate(events.length, publishMs)}/s`);
console.log(`todo project from start to offset ${events.length}: ${(projectMs / 1000).toFixed(2)} s, ${rate(events.length, projectMs)} events/s (start-up included)`);
