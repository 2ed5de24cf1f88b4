// `todo project` and `todo stats` against the shared RabbitMQ: events published to a stream of the
// test's own as the relay publishes them, applied by the compiled binary into its SQLite file.
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProjectionStats } from "../../src/events/projection-model";
import { encodeEventMessage } from "../../src/wire/event-message";
import { todoToJson } from "../../src/wire/json";
import { toProtoTodo } from "../../src/wire/todo-v1";
import { cli } from "../support/daemon";
import { freePort } from "../support/net";
import { TcpProxy } from "../support/tcp-proxy";
import {
  expectedCounts,
  projectionFile,
  StreamPublisher,
  startProjector,
  stats,
  SyntheticLog,
  waitForOffset,
} from "../support/projector";
import { SHARED_RABBITMQ_URL, sharedRabbitMq, uniqueStream } from "../support/rabbitmq";
import { scaled } from "../support/time";

const PAST = Date.UTC(2026, 0, 5, 8, 0);
const FUTURE = Date.UTC(2099, 0, 1);
const TAGS = ["home", "work", "shop", "errand"];

/** A workload of every kind of event: creates, updates through the states, deletes, an id created again, reminders due. */
function workload(todos = 40): SyntheticLog {
  if (todos < 10) throw new Error("the workload needs 10 todos or more");
  const log = new SyntheticLog();
  const ids: string[] = [];
  for (let i = 0; i < todos; i++)
    ids.push(log.create({ title: `todo ${i}`, tags: TAGS.filter((_, t) => (i + t) % 3 === 0), reminder: i % 4 === 0 ? PAST + i * 60_000 : i % 4 === 1 ? FUTURE : null }));
  for (let i = 0; i < todos; i += 2) log.update(ids[i]!, { state: "STATE_IN_PROGRESS" });
  for (let i = 0; i < todos; i += 5) log.update(ids[i]!, { state: "STATE_DONE" }, Date.UTC(2026, 10, 21 + (i % 3), 12));
  for (let i = 0; i < todos; i += 4) if (i % 5 !== 0) log.reminderDue(ids[i]!);
  for (let i = 3; i < todos; i += 7) log.update(ids[i]!, { tags: ["moved"], title: `todo ${i}, renamed` });
  for (let i = 1; i < todos; i += 9) log.remove(ids[i]!);
  // Reopened after DONE, then done again: two DONE transitions.
  log.update(ids[5]!, { state: "STATE_IN_PROGRESS" });
  log.update(ids[5]!, { state: "STATE_DONE" });
  // A deleted id imported again: its versions continue after the delete.
  log.create({ title: "back again", tags: ["home"], state: "STATE_DONE" }, ids[1]!);
  // A reminder moved fires again; due for a todo deleted afterwards, it no longer counts.
  log.update(ids[8]!, { reminder: PAST });
  log.reminderDue(ids[8]!);
  log.remove(ids[8]!);
  return log;
}

const exportLines = (log: SyntheticLog) => log.todos().map((t) => JSON.stringify(todoToJson(toProtoTodo(t))));

async function projectedTodos(db: string): Promise<string[]> {
  const r = await cli(["stats", "--db", db, "--todos"]);
  expect(r.exitCode).toBe(0);
  return r.stdout.split("\n").filter(Boolean);
}

const enabled = (await sharedRabbitMq("the projection tests")) !== undefined;
const publishers: StreamPublisher[] = [];
afterAll(async () => {
  for (const p of publishers) await p.close();
});
async function publisher(what: string) {
  const p = await StreamPublisher.open(uniqueStream(what));
  publishers.push(p);
  return p;
}

describe.skipIf(!enabled)("todo project", () => {
  test("applies every kind of event, in both formats; stats counts them and lists the same todos", async () => {
    const log = workload();
    const stream = await publisher("apply");
    // Protobuf and JSON interleaved: a consumer takes each by its content type.
    await stream.publish(log.events, (e) => (e.position % 2 ? "protobuf" : "json"));
    const db = projectionFile();
    const projector = await startProjector({ stream: stream.stream, db });
    const s = await waitForOffset(db, log.events.length);
    expect(s).toMatchObject({ ...expectedCounts(log.todos()), done_by_day: log.doneByDay, events_applied: log.events.length, duplicates: 0, rejected: 0, stream: stream.stream });
    expect(s.last_position).toBe(log.events.length);
    const overdue = log.todos().filter((t) => t.reminder !== null && t.reminder < Date.now() && t.state !== "STATE_DONE");
    expect(s.overdue).toBe(overdue.length);
    expect(s.reminders_fired).toBe(log.events.filter((e) => e.kind === "reminder_due" && log.todos().some((t) => t.id === e.todoId)).length);
    expect(await projectedTodos(db)).toEqual(exportLines(log));
    expect(await stats(db, "--by", "day")).toEqual(log.doneByDay);
    expect(await stats(db, "--by", "tag")).toEqual(expectedCounts(log.todos()).by_tag);

    const text = await cli(["stats", "--db", db]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain(`${s.total} todos: ${s.by_state.NOT_STARTED} NOT_STARTED, ${s.by_state.IN_PROGRESS} IN_PROGRESS, ${s.by_state.DONE} DONE`);
    expect(text.stdout).toContain(`Overdue: ${s.overdue}`);
    const byState = await cli(["stats", "--db", db, "--by", "state"]);
    expect(byState.stdout.split("\n")[0]).toMatch(/^STATE\s+COUNT$/);

    expect(await projector.stop("SIGTERM")).toBe(0);
    expect(projector.logs().at(-1)).toMatchObject({ msg: "projection stopped", offset: log.events.length });
  }, 60_000);

  test("stopped and killed midway, it resumes from its stored offset: nothing applied twice, nothing skipped", async () => {
    const log = workload(1500);
    const stream = await publisher("restart");
    const db = projectionFile();
    const half = Math.floor(log.events.length / 2);
    await stream.publish(log.events.slice(0, half));
    let projector = await startProjector({ stream: stream.stream, db });
    await waitForOffset(db, half);
    expect(await projector.stop("SIGTERM")).toBe(0);
    expect(projector.logs().at(-1)).toMatchObject({ msg: "projection stopped", offset: half });

    // The rest arrives while it is stopped; a kill -9 lands once it has applied some of it.
    await stream.publish(log.events.slice(half));
    projector = await startProjector({ stream: stream.stream, db, args: ["--from", "next"] });
    const resumed = await projector.waitForLog((l) => l.msg === "projection consuming", "the resumed projection to consume");
    // The stored offset wins over --from, which only places a new projection.
    expect(resumed.from).toBe(half);
    await waitForOffset(db, half + 1);
    await projector.stop("SIGKILL");
    console.log(`killed at offset ${(await stats(db)).offset} of ${log.events.length}`);
    projector = await startProjector({ stream: stream.stream, db });
    const s = await waitForOffset(db, log.events.length);
    expect(s).toMatchObject({ ...expectedCounts(log.todos()), done_by_day: log.doneByDay, events_applied: log.events.length, duplicates: 0, rejected: 0 });
    expect(await projectedTodos(db)).toEqual(exportLines(log));
    // Resuming inside a chunk passes over what it holds below the offset, without taking it for a gap.
    expect(projector.logs().filter((l) => l.level === "warn")).toEqual([]);
    expect(await projector.stop()).toBe(0);
  }, 120_000);

  test("the same events delivered again (a relay that republishes) change nothing", async () => {
    const log = workload();
    const stream = await publisher("duplicates");
    const db = projectionFile();
    await stream.publish(log.events);
    const projector = await startProjector({ stream: stream.stream, db });
    const first = await waitForOffset(db, log.events.length);
    const todos = await projectedTodos(db);
    // Everything again, and then a stretch from the middle, in the other format.
    await stream.publish(log.events, "json");
    await stream.publish(log.events.slice(10, 60));
    const again = await waitForOffset(db, log.events.length * 2 + 50);
    // Only how far it read, and what it passed over, moved.
    const model = ({ offset, duplicates, updated_at, ...rest }: ProjectionStats) => rest;
    expect(model(again)).toEqual(model(first));
    expect(again.duplicates).toBe(log.events.length + 50);
    expect(again.offset).toBe(log.events.length * 2 + 50);
    expect(await projectedTodos(db)).toEqual(todos);
    expect(await projector.stop()).toBe(0);
  }, 60_000);

  test("a message that is not a todo event is recorded as rejected, with a warning, and the rest is applied", async () => {
    const log = workload(10);
    const stream = await publisher("rejected");
    const db = projectionFile();
    await stream.publish(log.events.slice(0, 5));
    await stream.publishRaw(Buffer.from([0xff, 0xff, 0xff]), { contentType: "application/x-protobuf", messageId: "broken-1" });
    await stream.publishRaw(Buffer.from("hello"), { contentType: "text/plain" });
    await stream.publish(log.events.slice(5));
    const projector = await startProjector({ stream: stream.stream, db });
    const s = await waitForOffset(db, log.events.length + 2);
    expect(s).toMatchObject({ ...expectedCounts(log.todos()), events_applied: log.events.length, rejected: 2 });
    const warning = await projector.waitForLog((l) => l.level === "warn" && l.offset === 5, "the warning about offset 5");
    expect(warning.msg).toContain("protobuf todo.v1.TodoEvent");
    expect(warning.message_id).toBe("broken-1");
    const text = await cli(["stats", "--db", db]);
    expect(text.stdout).toContain("2 rejected");
    expect(text.stdout).toMatch(/last rejected: offset 6: content_type: "text\/plain" is neither/);
    expect(await projector.stop()).toBe(0);
  }, 60_000);

  test("a JSON event whose state is {} or [] or scalar junk is rejected and passed over: it keeps running and applies the rest", async () => {
    const log = workload(10);
    const stream = await publisher("junk-state");
    const db = projectionFile();
    const junk: unknown[] = [{}, [], 5, true, "BOGUS"];
    await stream.publish(log.events.slice(0, 5));
    for (const [i, state] of junk.entries()) {
      const json = JSON.parse(encodeEventMessage(log.events[0]!, "json").body.toString());
      // A todo of its own, so that nothing makes it a duplicate of an event applied before.
      json.todoId = json.created.todo.id = `${"f".repeat(23)}${i}`;
      json.created.todo.state = state;
      await stream.publishRaw(Buffer.from(JSON.stringify(json)), { contentType: "application/json", messageId: `junk-${i}` });
    }
    await stream.publish(log.events.slice(5), "json");
    const projector = await startProjector({ stream: stream.stream, db });
    // Before the fix it exited 1 at the first of them ("cannot write the projection: Binding expected string…").
    const exited = projector.process.exited.then((code): never => {
      throw new Error(`todo project exited ${code}: ${JSON.stringify(projector.logs().at(-1))}`);
    });
    const s = await Promise.race([waitForOffset(db, log.events.length + junk.length), exited]);
    expect(s).toMatchObject({ ...expectedCounts(log.todos()), events_applied: log.events.length, rejected: junk.length });
    expect(Object.keys(s.by_state).sort()).toEqual(["DONE", "IN_PROGRESS", "NOT_STARTED"]);
    expect(await projectedTodos(db)).toEqual(exportLines(log));
    const warnings = projector.logs().filter((l) => l.level === "warn");
    expect(warnings.map((l) => l.message_id)).toEqual(junk.map((_, i) => `junk-${i}`));
    expect(warnings[0]!.msg).toMatch(/created\.todo\.state/);
    expect(projector.process.exitCode).toBeNull();
    expect(await projector.stop()).toBe(0);
  }, 60_000);

  test("RabbitMQ gone for a few seconds: it connects again with backoff and catches up from its offset", async () => {
    const log = workload(200);
    const stream = await publisher("reconnect");
    const db = projectionFile();
    const network = await TcpProxy.start({ host: "127.0.0.1", port: 5672 });
    const third = Math.floor(log.events.length / 3);
    await stream.publish(log.events.slice(0, third));
    const projector = await startProjector({ stream: stream.stream, db, url: `amqp://guest:guest@127.0.0.1:${network.port}` });
    await waitForOffset(db, third);
    await network.cut();
    await stream.publish(log.events.slice(third, 2 * third));
    await projector.waitForLog((l) => l.level === "warn" && /cannot consume/.test(String(l.msg)), "the warning that RabbitMQ went away");
    await Bun.sleep(3000);
    await stream.publish(log.events.slice(2 * third));
    await network.open();
    await projector.waitForLog((l) => l.msg === "projection connected to RabbitMQ again", "the line saying it is back");
    const s = await waitForOffset(db, log.events.length);
    expect(s).toMatchObject({ ...expectedCounts(log.todos()), events_applied: log.events.length, duplicates: 0, rejected: 0 });
    expect(await projectedTodos(db)).toEqual(exportLines(log));
    // One warning for the outage, not one per retry or per cause.
    expect(projector.logs().filter((l) => l.level === "warn").map((l) => l.msg)).toEqual([expect.stringMatching(/cannot consume .* retrying with backoff/)]);
    expect(await projector.stop()).toBe(0);
    await network.cut();
  }, 120_000);

  test("RabbitMQ stops delivering to its consumer while the connection lives: it consumes again and catches up", async () => {
    const log = workload(100);
    const stream = await publisher("stalled");
    const db = projectionFile();
    const network = await TcpProxy.start({ host: "127.0.0.1", port: 5672 }, { amqp: true });
    const half = Math.floor(log.events.length / 2);
    await stream.publish(log.events.slice(0, half));
    const projector = await startProjector({ stream: stream.stream, db, url: `amqp://guest:guest@127.0.0.1:${network.port}` });
    await waitForOffset(db, half);
    network.withholdDeliveries();
    await stream.publish(log.events.slice(half));
    // Nothing is applied for 20 s while the stream's message count (refreshed every few seconds) says there is more.
    const warning = await projector.waitForLog((l) => l.level === "warn", "the warning that the projection stood still", scaled(90_000));
    expect(warning.msg).toMatch(new RegExp(`nothing was applied for 20 s though the stream holds messages from offset ${half} on`));
    const s = await waitForOffset(db, log.events.length, scaled(60_000));
    expect(s).toMatchObject({ ...expectedCounts(log.todos()), events_applied: log.events.length, duplicates: 0, rejected: 0 });
    expect(await projectedTodos(db)).toEqual(exportLines(log));
    expect(await projector.stop()).toBe(0);
    await network.cut();
  }, 240_000);

  test("waits out a RabbitMQ it cannot reach, without showing the password, and stops on SIGTERM", async () => {
    const port = await freePort();
    const db = projectionFile();
    const projector = await startProjector({ stream: uniqueStream("unreachable"), db, url: `amqp://guest:s3cret-pw@127.0.0.1:${port}` });
    const warning = await projector.waitForLog((l) => l.level === "warn", "the warning that RabbitMQ is unreachable");
    expect(warning.msg).toContain(`amqp://guest:***@127.0.0.1:${port}`);
    expect(warning.msg).toContain("retrying");
    await Bun.sleep(1000);
    expect(projector.process.exitCode).toBeNull();
    expect(await projector.stop("SIGTERM")).toBe(0);
    expect(JSON.stringify(projector.logs()) + projector.stderr()).not.toContain("s3cret-pw");
  }, 60_000);

  test("serves its offset and counters as Prometheus metrics", async () => {
    const log = workload(10);
    const stream = await publisher("metrics");
    const db = projectionFile();
    await stream.publish(log.events);
    const projector = await startProjector({ stream: stream.stream, db, args: ["--metrics-port", "0"] });
    const started = await projector.waitForLog((l) => l.msg === "projection started", "the start line");
    await waitForOffset(db, log.events.length);
    const metrics = await (await fetch(`http://127.0.0.1:${started.metrics_port}/metrics`)).text();
    expect(metrics).toContain(`todo_projection_offset ${log.events.length}\n`);
    expect(metrics).toContain(`todo_projection_events_applied_total ${log.events.length}\n`);
    expect(metrics).toContain("todo_projection_connected 1\n");
    expect((await fetch(`http://127.0.0.1:${started.metrics_port}/readyz`)).status).toBe(200);
    expect(await projector.stop()).toBe(0);
  }, 60_000);
});

describe("mistakes get one line", () => {
  test("stats without a projection, or of a file that is not one", async () => {
    const missing = await cli(["stats", "--db", "/nonexistent/projection.db"]);
    expect(missing).toEqual({ stdout: "", stderr: "todo: no projection at /nonexistent/projection.db: run todo project to build one (or name another file with --db)\n", exitCode: 1 });
    const empty = join(projectionFile(), "..", "empty.db");
    writeFileSync(empty, "");
    const notOne = await cli(["stats", "--db", empty]);
    expect(notOne).toEqual({ stdout: "", stderr: `todo: ${empty} is not a projection todo project wrote\n`, exitCode: 1 });
  }, 60_000);

  test("project without a broker, with a bad URL or a bad --from; stats --by something else", async () => {
    expect(await cli(["project", "--db", projectionFile()])).toMatchObject({ exitCode: 2, stderr: "todo: say which RabbitMQ to consume: --events-url amqp://user:password@host:5672 or EVENTS_URL\n" });
    expect(await cli(["project", "--events-url", "http://u:pw@x", "--db", projectionFile()])).toMatchObject({
      exitCode: 2,
      stderr: 'todo: --events-url / EVENTS_URL: "http://u:***@x" is not an amqp:// or amqps:// URL with a host (e.g. amqp://user:password@rabbitmq:5672)\n',
    });
    expect(await cli(["project", "--events-url", SHARED_RABBITMQ_URL, "--from", "-1", "--db", projectionFile()])).toMatchObject({ exitCode: 2 });
    expect(await cli(["project", "--events-url", SHARED_RABBITMQ_URL, "--events-stream", "amq.x", "--db", projectionFile()])).toMatchObject({ exitCode: 2 });
    // A file holds one stream's offset: another stream is refused before anything is consumed.
    const db = projectionFile();
    const first = await startProjector({ stream: "one", db, url: `amqp://127.0.0.1:${await freePort()}` });
    await first.waitForLog((l) => l.msg === "projection started", "the start line");
    expect(await first.stop()).toBe(0);
    expect(await cli(["project", "--events-url", SHARED_RABBITMQ_URL, "--events-stream", "two", "--db", db])).toMatchObject({
      exitCode: 2,
      stderr: 'todo: the projection file holds stream "one", not "two": use --events-stream one, or another --db for this stream\n',
    });
    const by = await cli(["stats", "--by", "month"]);
    expect(by.exitCode).toBe(2);
    expect(by.stderr).toContain("--by");
  }, 60_000);
});
