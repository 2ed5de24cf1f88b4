// RabbitMQ for the tests. The shared broker (127.0.0.1:5672, or RABBITMQ_URL) serves tests that only
// publish and read: each uses its own stream name. A test that must stop the broker starts a PRIVATE
// node instead (its own node name, ports, data and log directories under a temp dir, no plugins,
// listening on 127.0.0.1 only), stopped and started again by pid, so other tests and other people's
// brokers never notice. Under CI=true a missing RabbitMQ is a failing test; elsewhere the tests skip.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { test } from "bun:test";
import amqp from "amqplib";
import { accepts, freePort } from "./net";
import { stopProcess } from "./process";
import { scaled } from "./time";

export const SHARED_RABBITMQ_URL = process.env.RABBITMQ_URL || "amqp://guest:guest@127.0.0.1:5672";

/** Declared exactly as the relay and the projection declare it: any other argument fails the other's declare. */
export const STREAM_ARGUMENTS = {
  durable: true,
  arguments: { "x-queue-type": "stream" },
} as const;

/** A stream name no other test or run uses. */
export function uniqueStream(label: string): string {
  return `todo.test.${label}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

async function reachable(url: string): Promise<boolean> {
  try {
    const connection = await amqp.connect(url);
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

/** Skips (or, under CI, fails) with the reason when no broker answers; else the shared broker's URL. */
export async function sharedRabbitMq(why: string): Promise<string | undefined> {
  if (await reachable(SHARED_RABBITMQ_URL)) return SHARED_RABBITMQ_URL;
  return unavailable(why, `no RabbitMQ answers at ${SHARED_RABBITMQ_URL.replace(/\/\/[^@/]*@/, "//")} (start it: rabbitmq-server -detached; .ci/run does)`);
}

function unavailable(why: string, hint: string): undefined {
  if (process.env.CI === "true")
    test(`${why}: RabbitMQ is available`, () => {
      throw new Error(`${hint}; CI must provide it`);
    });
  else console.warn(`skipping ${why}: ${hint}`);
  return undefined;
}

/** The server script itself: the Debian wrapper in /usr/sbin would run it as the rabbitmq user. */
function serverScript(): string | undefined {
  const direct = "/usr/lib/rabbitmq/bin/rabbitmq-server";
  return existsSync(direct) ? direct : (Bun.which("rabbitmq-server") ?? undefined);
}

export interface PrivateRabbitMq {
  /** amqp://guest:guest@127.0.0.1:PORT */
  url: string;
  port: number;
  /** Stops the node by pid (SIGTERM: a clean shutdown; SIGKILL: a crash) and waits for it to exit. */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts it again on the same port with the same data (streams survive). */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
  /** Its recent output, for a failing test to show. */
  logs(): string[];
}

const running = new Set<Subprocess>();
process.on("exit", () => {
  for (const proc of running) proc.kill("SIGKILL");
});

/**
 * The rabbitmq-server script that startPrivateRabbitMq runs, or undefined (after skipping or failing
 * with the reason) when it is not installed. Checked when the test file loads; the node starts in the test.
 */
export function rabbitMqServer(why: string): string | undefined {
  return serverScript() ?? unavailable(why, "rabbitmq-server is not installed (apt-get install rabbitmq-server)");
}

export async function startPrivateRabbitMq(script: string): Promise<PrivateRabbitMq> {
  const dir = mkdtempSync(join(tmpdir(), "todo-rabbitmq-"));
  for (const sub of ["mnesia", "log", "home"]) mkdirSync(join(dir, sub));
  const port = await freePort();
  const distPort = await freePort();
  const name = `todo-test-${port}@localhost`;
  writeFileSync(join(dir, "rabbitmq.conf"), [`listeners.tcp.1 = 127.0.0.1:${port}`, "loopback_users = none", ""].join("\n"));
  // No plugins: the shared node's stream plugin (port 5552) or management (15672) would collide.
  writeFileSync(join(dir, "enabled_plugins"), "[].\n");
  const env = {
    PATH: process.env.PATH ?? "",
    // Its own Erlang cookie, in its own home.
    HOME: join(dir, "home"),
    RABBITMQ_NODENAME: name,
    RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, "mnesia"),
    RABBITMQ_LOG_BASE: join(dir, "log"),
    RABBITMQ_CONFIG_FILE: join(dir, "rabbitmq.conf"),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, "enabled_plugins"),
    RABBITMQ_LOGS: "-",
  };
  const log: string[] = [];
  let proc: Subprocess<"ignore", "pipe", "pipe"> | undefined;

  async function launch() {
    const child = Bun.spawn([script], { env, stdout: "pipe", stderr: "pipe" });
    proc = child;
    running.add(child);
    for (const stream of [child.stdout, child.stderr])
      void (async () => {
        let buffer = "";
        for await (const chunk of stream) {
          buffer += new TextDecoder().decode(chunk);
          let nl: number;
          while ((nl = buffer.indexOf("\n")) >= 0) {
            log.push(buffer.slice(0, nl));
            if (log.length > 300) log.shift();
            buffer = buffer.slice(nl + 1);
          }
        }
      })();
    // A node boots in ~20 s on an idle 2-core machine (Mnesia, feature flags, the stream coordinator).
    const deadline = Date.now() + scaled(90_000);
    while (!(await accepts(port)) || !(await reachable(`amqp://guest:guest@127.0.0.1:${port}`))) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the private RabbitMQ node exited (${child.exitCode ?? child.signalCode}) before listening:\n${log.slice(-30).join("\n")}`);
      if (Date.now() > deadline) {
        await stop("SIGKILL");
        throw new Error(`the private RabbitMQ node did not accept connections on ${port} in time:\n${log.slice(-30).join("\n")}`);
      }
      await Bun.sleep(250);
    }
  }

  async function stop(signal: "SIGTERM" | "SIGKILL" = "SIGTERM") {
    const child = proc;
    if (!child) return;
    proc = undefined;
    // SIGKILL of the script would leave the Erlang VM running: kill the VM (its child) first.
    if (signal === "SIGKILL") {
      const vm = Bun.spawnSync(["pgrep", "-P", String(child.pid)])
        .stdout.toString()
        .trim()
        .split("\n")
        .filter(Boolean);
      for (const pid of vm) process.kill(Number(pid), "SIGKILL");
    }
    await stopProcess(child, signal, 30_000);
    running.delete(child);
    // The port is free once the VM is gone; the next start binds it again.
    for (let i = 0; (await accepts(port)) && i < 200; i++) await Bun.sleep(50);
  }

  try {
    await launch();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    port,
    stop,
    start: launch,
    logs: () => [...log],
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface StreamMessage {
  position: number;
  eventId: string;
  kind: string;
  contentType: string;
  body: Buffer;
}

/**
 * Reads `stream` from its first message until `done` says the messages so far are enough, or the
 * deadline passes (then it returns what it has: the test's assertions say what is missing).
 */
export async function readStream(url: string, stream: string, done: (messages: StreamMessage[]) => boolean, timeoutMs = scaled(60_000)): Promise<StreamMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await readStreamOnce(url, stream, done, deadline);
    } catch (e) {
      // A node that just restarted answers NOT_FOUND ("home node … is down") until its stream is back.
      if (Date.now() > deadline) throw e;
      await Bun.sleep(500);
    }
  }
}

async function readStreamOnce(url: string, stream: string, done: (messages: StreamMessage[]) => boolean, deadline: number): Promise<StreamMessage[]> {
  const connection = await amqp.connect(url);
  connection.on("error", () => {});
  try {
    const channel = await connection.createChannel();
    await channel.assertQueue(stream, STREAM_ARGUMENTS);
    // A stream consumer must have a prefetch and acknowledge, or the broker stops delivering.
    await channel.prefetch(500);
    const messages: StreamMessage[] = [];
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await channel.consume(
      stream,
      (message) => {
        if (!message) return finish();
        const headers = message.properties.headers ?? {};
        messages.push({
          position: Number(headers["x-todo-position"]),
          eventId: String(message.properties.messageId),
          kind: String(headers["x-todo-kind"]),
          contentType: String(message.properties.contentType),
          body: message.content,
        });
        channel.ack(message);
        if (done(messages)) finish();
      },
      { arguments: { "x-stream-offset": "first" } },
    );
    if (!done(messages)) {
      let timer: Timer | undefined;
      await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
      clearTimeout(timer);
    }
    return messages;
  } finally {
    await connection.close().catch(() => {});
  }
}

/** Deletes a test's stream from a broker that outlives the test (the shared one keeps it otherwise). */
export async function deleteStream(url: string, stream: string): Promise<void> {
  const connection = await amqp.connect(url).catch(() => undefined);
  if (!connection) return;
  connection.on("error", () => {});
  try {
    const channel = await connection.createChannel();
    await channel.deleteQueue(stream);
  } catch {
    // already gone, or the broker is away: nothing to clean
  } finally {
    await connection.close().catch(() => {});
  }
}

/** Whether positions 1..n are all in `messages` (duplicates allowed). */
export function hasEveryPosition(messages: StreamMessage[], n: number): boolean {
  const seen = new Set(messages.map((m) => m.position));
  for (let p = 1; p <= n; p++) if (!seen.has(p)) return false;
  return true;
}
