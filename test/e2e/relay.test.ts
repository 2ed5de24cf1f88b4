// The relay end to end: the compiled daemon publishes its event log to a real RabbitMQ stream, and a
// consumer reads the stream from its first offset. At-least-once, in position order, no gaps: across a
// SIGTERM and a kill -9 of the daemon, an outage of the broker, and the kill -9 of the daemon holding
// the relay lease among several on one MongoDB (FerretDB). Each test uses its own stream.
import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { decodeEventMessage } from "../../src/wire/event-message";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { mongoTarget } from "../support/ferretdb";
import { freePort } from "../support/net";
import { nodeClient } from "../support/node-client";
import { deleteStream, hasEveryPosition, rabbitMqServer, readStream, sharedRabbitMq, startPrivateRabbitMq, type StreamMessage, uniqueStream } from "../support/rabbitmq";
import { scaled } from "../support/time";
import { tempDirs } from "../support/temp";

const tempDir = tempDirs();

async function metric(daemon: Daemon, name: string): Promise<number> {
  const text = await (await fetch(`${daemon.httpUrl}/metrics`)).text();
  const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  if (!match) throw new Error(`/metrics has no ${name}`);
  return Number(match[1]);
}

/** Polls until `check` holds, or fails naming `what` with the last value seen. */
async function eventually<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let value: T | undefined;
  let problem: unknown;
  for (;;) {
    try {
      value = await read();
      if (check(value)) return value;
    } catch (e) {
      problem = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms (last: ${JSON.stringify(value)}${problem ? `, ${problem}` : ""})`);
    await Bun.sleep(200);
  }
}

/** The stream read in order: no message is more than one past every position before it, and 1..head are all there. */
function expectNoGaps(messages: StreamMessage[], head: number, label: string) {
  let highest = 0;
  const jumps: string[] = [];
  for (const m of messages) {
    if (m.position > highest + 1) jumps.push(`${highest} → ${m.position}`);
    highest = Math.max(highest, m.position);
  }
  expect({ label, jumps }).toEqual({ label, jumps: [] });
  expect(hasEveryPosition(messages, head)).toBe(true);
  const duplicates = messages.length - new Set(messages.map((m) => m.position)).size;
  console.log(`${label}: ${messages.length} messages for positions 1..${head}, ${duplicates} duplicates`);
}

/** The log of a stopped daemon's data file: position → event id. */
function logIds(dataDir: string): Map<number, string> {
  const db = new Database(join(dataDir, "todos.db"), { readonly: true });
  try {
    return new Map(
      db
        .query<{ position: number; event_id: string }, []>("SELECT position, event_id FROM events")
        .all()
        .map((r) => [r.position, r.event_id]),
    );
  } finally {
    db.close();
  }
}

const rabbitUrl = await sharedRabbitMq("relay tests on the shared RabbitMQ");
if (rabbitUrl) {
  describe("relay, embedded store", () => {
    test("every event reaches the stream in position order, across a SIGTERM and a kill -9 of the daemon", async () => {
      const stream = uniqueStream("embedded");
      const dataDir = tempDir("relay");
      const [grpcPort, httpPort] = [await freePort(), await freePort()];
      const start = () =>
        startDaemon({
          dataDir,
          grpcPort,
          httpPort,
          env: { EVENTS_URL: rabbitUrl, EVENTS_STREAM: stream },
        });
      let daemon = await start();
      try {
        await nodeClient(["seed", daemon.addr, "150", "10"], 120);
        expect(await daemon.stop("SIGTERM")).toBe(0);
        daemon = await start();
        // kill -9 while the relay is busy: what it sent and had not recorded is sent again.
        const writing = nodeClient(["seed", daemon.addr, "300", "10"], 120);
        await eventually(
          "the relay publishes after the restart",
          () => metric(daemon, "todo_relay_confirmed_position"),
          (p) => p > 200,
          scaled(30_000),
        );
        await daemon.stop("SIGKILL");
        await writing.catch(() => {});
        daemon = await start();
        await nodeClient(["seed", daemon.addr, "100", "10"], 120);
        const head = await metric(daemon, "todo_event_log_head_position");
        await eventually(
          "the stream catches up",
          () => metric(daemon, "todo_relay_lag_positions"),
          (lag) => lag === 0,
          scaled(30_000),
        );
        expect(await metric(daemon, "todo_relay_confirmed_position")).toBe(head);
        expect(await metric(daemon, "todo_relay_lease_held")).toBe(1);
        expect(await daemon.stop("SIGTERM")).toBe(0);

        const messages = await readStream(rabbitUrl, stream, (m) => hasEveryPosition(m, head));
        expectNoGaps(messages, head, "embedded store, SIGTERM and kill -9");
        // Each message is the log's event at its position, and decodes by its content type.
        const ids = logIds(dataDir);
        expect(messages.filter((m) => ids.get(m.position) !== m.eventId)).toEqual([]);
        const last = decodeEventMessage(messages.at(-1)!.body, messages.at(-1)!.contentType);
        expect({
          position: last.position,
          eventId: last.eventId,
          kind: last.kind,
        }).toEqual({
          position: messages.at(-1)!.position,
          eventId: messages.at(-1)!.eventId,
          kind: "created",
        });
        expect(messages[0]!.contentType).toBe("application/x-protobuf");
      } finally {
        await daemon.stop("SIGKILL");
        await deleteStream(rabbitUrl, stream);
      }
    }, 300_000);

    test("a bad --events-url or --events-format is refused at start with one line", async () => {
      const bad = await cli(["serve", "--events-url", "http://user:secret@rabbit:5672", "--grpc-port", "0", "--http-port", "0"]);
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toContain("--events-url / EVENTS_URL");
      expect(bad.stderr).not.toContain("secret");
      const format = await cli(["serve", "--events-url", rabbitUrl, "--events-format", "xml", "--grpc-port", "0", "--http-port", "0"]);
      expect({
        exitCode: format.exitCode,
        stderr: format.stderr.trim().split("\n").length,
      }).toEqual({ exitCode: 2, stderr: 1 });
      expect(format.stderr).toContain("--events-format / EVENTS_FORMAT");
    }, 60_000);
  });
}

describe("relay, no broker at its address", () => {
  // Issue 18, item 12: 6 warnings in 33 s, one per backoff step ("retrying in 0.5 s", "… 1.0 s", …):
  // the throttle was per text. Every RabbitMQ warning now shares one: at start, then after 30 s.
  test("a relaying daemon pointed at a closed loopback port warns at most twice in 35 s", async () => {
    const port = await freePort();
    const daemon = await startDaemon({ env: { EVENTS_URL: `amqp://guest:guest@127.0.0.1:${port}`, EVENTS_STREAM: uniqueStream("unreachable") } });
    try {
      const rabbitWarnings = () => daemon.logs().filter((l) => l.level === "warn" && /RabbitMQ/.test(String(l.msg)));
      await eventually("the first warning", async () => rabbitWarnings().length, (n) => n > 0, scaled(20_000));
      const started = performance.now();
      // Writes go on meanwhile, so the relay has something to be behind with.
      await nodeClient(["seed", daemon.addr, "20", "10"], 120);
      await Bun.sleep(Math.max(0, 35_000 - (performance.now() - started)));
      const warnings = rabbitWarnings();
      console.log(`relay: ${warnings.length} RabbitMQ warnings in 35 s: ${warnings.map((l) => JSON.stringify(l.msg)).join(", ")}`);
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(warnings.length).toBeLessThanOrEqual(2);
      expect(warnings[0]!.msg).toStartWith(`cannot publish to RabbitMQ at amqp://guest:***@127.0.0.1:${port}: `);
    } finally {
      await daemon.stop("SIGKILL");
    }
  }, 120_000);
});

const server = rabbitMqServer("the relay's broker outage test (a private RabbitMQ node)");
if (server)
  describe("relay, RabbitMQ unreachable", () => {
    test("writes keep succeeding and /readyz stays ready while the lag grows; the relay catches up when RabbitMQ returns", async () => {
      // A private node: stopping the shared one would disturb every other test and person using it.
      const broker = await startPrivateRabbitMq(server);
      const stream = uniqueStream("outage");
      const daemon = await startDaemon({
        env: {
          EVENTS_URL: broker.url,
          EVENTS_STREAM: stream,
          EVENTS_FORMAT: "json",
        },
      });
      try {
        await nodeClient(["seed", daemon.addr, "40", "10"], 120);
        await eventually(
          "the first writes are published",
          () => metric(daemon, "todo_relay_confirmed_position"),
          (p) => p === 40,
          scaled(30_000),
        );

        await broker.stop("SIGTERM");
        await nodeClient(["seed", daemon.addr, "60", "10"], 120);
        expect((await fetch(`${daemon.httpUrl}/readyz`)).status).toBe(200);
        expect(await metric(daemon, "todo_relay_lag_positions")).toBe(60);
        await Bun.sleep(1500);
        expect(await metric(daemon, "todo_relay_lag_seconds")).toBeGreaterThan(1);
        expect(await metric(daemon, "todo_relay_confirmed_position")).toBe(40);
        await eventually(
          "a warning says how far behind the stream is",
          async () => daemon.logs(),
          (lines) => lines.some((l) => l.level === "warn" && String(l.msg).startsWith("cannot publish to RabbitMQ") && l.lagPositions === 60),
          // The first warning may come before the 60 writes are in (the relay tried while they were made);
          // the next may come only 30 s after it (one throttle for every RabbitMQ warning).
          30_000 + scaled(15_000),
        );
        expect(JSON.stringify(daemon.logs())).not.toContain("guest:guest");

        await broker.start();
        await eventually(
          "the relay catches up",
          () => metric(daemon, "todo_relay_lag_positions"),
          (lag) => lag === 0,
          scaled(90_000),
        );
        expect(await metric(daemon, "todo_relay_lag_seconds")).toBe(0);
        const messages = await readStream(broker.url, stream, (m) => hasEveryPosition(m, 100));
        expectNoGaps(messages, 100, "RabbitMQ stopped and started");
        expect(messages.every((m) => m.contentType === "application/json")).toBe(true);
        expect(decodeEventMessage(messages.at(-1)!.body, messages.at(-1)!.contentType).position).toBe(messages.at(-1)!.position);
        expect(daemon.logs().some((l) => l.msg === "relay publishing again")).toBe(true);
      } finally {
        await daemon.stop("SIGKILL");
        await broker.dispose();
      }
    }, 400_000);
  });

const target = rabbitUrl ? await mongoTarget("the relay's lease test on MongoDB") : undefined;
// At file scope: the server starts with the file, so it stops with it even when `-t` leaves out the
// describe below (an afterAll inside a filtered-out describe never runs, and the FerretDB outlived bun).
afterAll(() => target?.server?.dispose());
if (rabbitUrl && target)
  describe("relay, several daemons on one MongoDB", () => {
    test("one daemon holds the lease; kill -9 of it hands the relay to another, and the stream has no gap", async () => {
      const stream = uniqueStream("lease");
      const env = {
        MONGO_URL: target.url,
        MONGO_DB: `todo_relay_${process.pid}`,
        EVENTS_URL: rabbitUrl,
        EVENTS_STREAM: stream,
      };
      const daemons = [await startDaemon({ env }), await startDaemon({ env }), await startDaemon({ env })];
      try {
        // Writes through every daemon. "writes" tolerates calls that FerretDB is too slow for on a busy
        // machine: the stream must match the log, whatever the log holds.
        await Promise.all(daemons.map((d) => nodeClient(["writes", d.addr, "4", "6"], 120)));
        const held = await eventually(
          "exactly one daemon holds the lease",
          () => Promise.all(daemons.map((d) => metric(d, "todo_relay_lease_held"))),
          (h) => h.filter((x) => x === 1).length === 1,
          scaled(30_000),
        );
        const holder = daemons[held.indexOf(1)]!;
        const others = daemons.filter((d) => d !== holder);
        await eventually(
          "the stream catches up",
          () => metric(holder, "todo_relay_lag_positions"),
          (lag) => lag === 0,
          scaled(60_000),
        );
        expect(await metric(holder, "todo_relay_confirmed_position")).toBeGreaterThan(0);

        // Kill the holder while the others write: one of them takes the lease once it expires (15 s).
        const writing = Promise.all(others.map((d) => nodeClient(["writes", d.addr, "4", "8"], 120)));
        await Bun.sleep(1000);
        await holder.stop("SIGKILL");
        const killedAt = Date.now();
        const after = await eventually(
          "another daemon takes the lease",
          () => Promise.all(others.map((d) => metric(d, "todo_relay_lease_held"))),
          (h) => h.filter((x) => x === 1).length === 1,
          scaled(45_000),
        );
        console.log(`lease taken over ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill -9 of its holder`);
        await writing;
        const next = others[after.indexOf(1)]!;
        const bystander = others.find((d) => d !== next)!;
        // Caught up with a head that no longer moves (the last writes are sequenced in the background).
        let head = -1;
        await eventually(
          "the stream catches up with the log",
          async () => {
            const [h, lag] = [await metric(next, "todo_event_log_head_position"), await metric(next, "todo_relay_lag_positions")];
            const settled = lag === 0 && h === head;
            head = h;
            return settled;
          },
          (settled) => settled,
          scaled(60_000),
        );
        // The daemon without the lease reports the checkpoint from the store (a write the sweep sequenced
        // late, one the killed daemon left pending, may have moved it past the head read above).
        expect(await metric(bystander, "todo_relay_lease_held")).toBe(0);
        expect(await metric(bystander, "todo_relay_confirmed_position")).toBeGreaterThanOrEqual(head);

        const messages = await readStream(rabbitUrl, stream, (m) => hasEveryPosition(m, head));
        expectNoGaps(messages, head, "three daemons on FerretDB, kill -9 of the lease holder");
      } finally {
        for (const d of daemons) await d.stop("SIGKILL");
        await deleteStream(rabbitUrl, stream);
      }
    }, 400_000);
  });
