// The events issue's "done when" for the projection: a workload against a daemon that relays its log
// to a RabbitMQ stream, with the daemon and the projector restarted in the middle and RabbitMQ stopped
// for a few seconds; afterwards the projection holds exactly the daemon's todos, and a duplicate
// delivery of the whole stream changes nothing. RabbitMQ here is a private node the test may stop.
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import type { ProjectionStats } from "../../src/events/projection-model";
import { projectionFile, type Projector, startProjector, stats } from "../support/projector";
import amqp from "amqplib";
import { hasEveryPosition, type PrivateRabbitMq, rabbitMqServer, readStream, STREAM_ARGUMENTS, startPrivateRabbitMq, uniqueStream } from "../support/rabbitmq";
import { scaled } from "../support/time";

const server = rabbitMqServer("the projection's test against a relaying daemon (a private RabbitMQ node)");

const TAGS = ["home", "work", "shop"];
const id = (i: number) => `${"0".repeat(16)}${i.toString(16).padStart(8, "0")}`;

async function ok(args: string[], daemon: Daemon) {
  const r = await cli([...args, "--addr", daemon.addr, "--timeout", "30"]);
  if (r.exitCode !== 0) throw new Error(`todo ${args.join(" ")} exited ${r.exitCode}: ${r.stderr}`);
  return r.stdout;
}

/** Creates todos first..last-1 with known ids, through todo import. */
async function create(daemon: Daemon, first: number, last: number) {
  const file = join(daemon.dataDir, `import-${first}.jsonl`);
  const lines = [];
  for (let i = first; i < last; i++)
    lines.push(JSON.stringify({ id: id(i), title: `todo ${i}`, tags: TAGS.filter((_, t) => (i + t) % 2 === 0), ...(i % 3 === 0 ? { reminder: "2026-01-02T03:04:05Z" } : {}) }));
  writeFileSync(file, `${lines.join("\n")}\n`);
  await ok(["import", "--in", file], daemon);
}

/** Changes todos first..last-1: some started, some done, some retagged, some deleted. */
async function change(daemon: Daemon, first: number, last: number) {
  const range = (step: number, offset: number) => Array.from({ length: last - first }, (_, k) => first + k).filter((i) => i % step === offset).map(id);
  await ok(["start", ...range(2, 0)], daemon);
  await ok(["done", ...range(3, 1)], daemon);
  await ok(["update", ...range(5, 2), "--tags", "moved,work"], daemon);
  await ok(["delete", ...range(7, 3)], daemon);
}

async function daemonTodos(daemon: Daemon): Promise<string[]> {
  return (await ok(["export"], daemon)).split("\n").filter(Boolean);
}

async function projectedTodos(db: string): Promise<string[]> {
  const r = await cli(["stats", "--db", db, "--todos"]);
  if (r.exitCode !== 0) throw new Error(`todo stats --todos exited ${r.exitCode}: ${r.stderr}`);
  return r.stdout.split("\n").filter(Boolean);
}

/** What the daemon's relay, the projector and RabbitMQ last said: a failure shows why they did not converge. */
function lastWords(daemon: Daemon, projector: Projector, rabbit: PrivateRabbitMq): string {
  const tail = (lines: unknown[]) => lines.slice(-25).map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");
  const relay = daemon.logs().filter((l) => JSON.stringify(l).includes("relay"));
  return `todo serve (relay lines):\n${tail(relay)}\ntodo project:\n${tail(projector.logs())}\n${projector.stderr()}\nRabbitMQ:\n${tail(rabbit.logs())}`;
}

/** Waits until the projection holds exactly the daemon's todos. */
async function converged(daemon: Daemon, db: string, what: string, diagnose: () => string) {
  const until = Date.now() + scaled(120_000);
  for (;;) {
    const [expected, actual] = [await daemonTodos(daemon), await projectedTodos(db).catch(() => [])];
    if (JSON.stringify(actual) === JSON.stringify(expected)) return expected;
    if (Date.now() > until) {
      console.error(diagnose());
      expect({ what, todos: actual }).toEqual({ what, todos: expected });
    }
    await Bun.sleep(250);
  }
}

describe.skipIf(!server)("the projection of a relayed log", () => {
  test("restarts of the daemon and the projector and a RabbitMQ outage: the projection equals the daemon's todos; duplicates change nothing", async () => {
    // A private node: stopping the shared one would disturb every other test and person using it.
    const rabbit = await startPrivateRabbitMq(server!);
    const url = rabbit.url;
    const stream = uniqueStream("projection");
    const db = projectionFile();
    const env = { EVENTS_URL: url, EVENTS_STREAM: stream };
    let daemon = await startDaemon({ env });
    let projector: Projector = await startProjector({ stream, db, url });

    await create(daemon, 0, 60);
    await change(daemon, 0, 30);
    // Both restarted in the middle: the projector killed, the daemon drained.
    await projector.stop("SIGKILL");
    expect(await daemon.stop("SIGTERM")).toBe(0);
    daemon = await startDaemon({ env, dataDir: daemon.dataDir });
    projector = await startProjector({ stream, db, url });
    await create(daemon, 60, 90);
    await change(daemon, 30, 60);

    // RabbitMQ away for a few seconds: the daemon keeps acknowledging writes, the relay and the projector wait.
    console.log(`stopping RabbitMQ at ${new Date().toISOString()}`);
    await rabbit.stop("SIGTERM");
    await change(daemon, 60, 90);
    await create(daemon, 90, 100);
    await Bun.sleep(3000);
    await rabbit.start();
    await change(daemon, 90, 100);

    console.log(`RabbitMQ back at ${new Date().toISOString()}; waiting for the projection to catch up`);
    const todos = await converged(daemon, db, "the projection to catch up", () => lastWords(daemon, projector, rabbit));
    const before = await stats(db);
    const live = todos.map((line) => JSON.parse(line));
    expect(before.total).toBe(live.length);
    expect(before.by_state).toEqual({
      NOT_STARTED: live.filter((t) => t.state === "STATE_NOT_STARTED").length,
      IN_PROGRESS: live.filter((t) => t.state === "STATE_IN_PROGRESS").length,
      DONE: live.filter((t) => t.state === "STATE_DONE").length,
    });
    const byTag: Record<string, number> = {};
    for (const t of live) for (const tag of t.tags ?? []) byTag[tag] = (byTag[tag] ?? 0) + 1;
    expect(before.by_tag).toEqual(byTag);
    expect(before.rejected).toBe(0);
    console.log(`projected ${before.events_applied} events (log head ${before.last_position}), ${before.duplicates} duplicates from the relay's restarts passed over`);

    // Every message of the stream delivered again, as a relay that republished everything would.
    const head = before.last_position;
    const messages = await readStream(url, stream, (m) => hasEveryPosition(m, head));
    expect(hasEveryPosition(messages, head)).toBe(true);
    const connection = await amqp.connect(url);
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(stream, STREAM_ARGUMENTS);
    for (const m of messages)
      channel.publish("", stream, m.body, {
        persistent: true,
        contentType: m.contentType,
        messageId: m.eventId,
        headers: { "x-todo-position": m.position, "x-todo-kind": m.kind },
      });
    await channel.waitForConfirms();
    await connection.close();
    const until = Date.now() + scaled(60_000);
    let after = await stats(db);
    while (after.duplicates < before.duplicates + messages.length && Date.now() < until) {
      await Bun.sleep(250);
      after = await stats(db);
    }
    const model = ({ offset, duplicates, updated_at, ...rest }: ProjectionStats) => rest;
    expect(model(after)).toEqual(model(before));
    expect(after.duplicates).toBe(before.duplicates + messages.length);
    expect(await projectedTodos(db)).toEqual(todos);

    expect(await projector.stop("SIGTERM")).toBe(0);
    expect(await daemon.stop("SIGTERM")).toBe(0);
    await rabbit.dispose();
  }, 600_000);
});
