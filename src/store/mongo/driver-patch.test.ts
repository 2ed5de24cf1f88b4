// The MongoDB driver as patched (patches/mongodb@7.9.0.patch) on Bun: a command written on a connection
// whose server just died fails, and does not wait for good. Between a socket's 'end' (its peer went away)
// and its 'close', Bun's net returns false from write and then emits neither 'drain' nor 'error'; the
// driver waited for 'drain' alone. When the monitor's check landed there (a pool connection's failure
// asks for one at once) the monitor never checked again: after FerretDB was killed under load and
// restarted, the server stayed Unknown and every call waited out server selection (crash.test.ts).
// The check is forced into that window through the driver's internals, which this test is about.
import { afterAll, describe, expect, test } from "bun:test";
import { MongoClient } from "mongodb";
import { type FerretDb, startFerretDb } from "../../../test/support/ferretdb";
import { scaled } from "../../../test/support/time";
import { findTool } from "../../../test/support/tools";

const binary = findTool("ferretdb");
if (!binary && process.env.CI === "true") throw new Error("ferretdb is required under CI=true (scripts/install-tools.sh ferretdb)");
if (!binary) console.warn("skipping the MongoDB driver patch test: ferretdb is not installed (scripts/install-tools.sh ferretdb)");

let server: FerretDb | undefined;
let client: MongoClient | undefined;
afterAll(async () => {
  await client?.close().catch(() => {});
  await server?.dispose();
});

/** What the test reaches inside the driver: the one server's pool and monitor. */
interface DriverServer {
  description: { type: string };
  pool: { connections: Iterable<{ socket: NodeJS.EventEmitter }> };
  monitor: { s: { state: string }; connection: { socket: NodeJS.EventEmitter } | null; monitorId: { _executeAndReschedule(): void } };
}

/** Resolves with what `promise` settled to, or "still waiting" after `ms`. */
function within(promise: Promise<unknown>, ms: number): Promise<string> {
  return Promise.race([promise.then(() => "ok", (e) => `failed: ${(e as Error).message}`), Bun.sleep(ms).then(() => "still waiting")]);
}

describe.skipIf(!binary)("the MongoDB driver on Bun, when its server dies", () => {
  test("a monitor check and a command started as the socket closes fail, and the client recovers once the server is back", async () => {
    server = await startFerretDb(binary!);
    client = new MongoClient(`${server.url}patch?serverSelectionTimeoutMS=${scaled(15_000)}`, { connectTimeoutMS: 5000, maxPoolSize: 4 });
    const heartbeats: string[] = [];
    client.on("serverHeartbeatFailed", () => heartbeats.push("failed"));
    client.on("serverHeartbeatSucceeded", () => heartbeats.push("succeeded"));
    const db = client.db("patch");
    await Promise.all([db.command({ ping: 1 }), db.command({ ping: 1 })]);
    const driverServer = (client as unknown as { topology: { s: { servers: Map<string, DriverServer> } } }).topology.s.servers.values().next().value!;
    const [, idle] = [...driverServer.pool.connections];
    const monitor = driverServer.monitor;
    expect(idle && monitor.connection).toBeTruthy();

    // In the window after 'end', a command on the pool connection and a check by the monitor.
    let pingInWindow: Promise<unknown> | undefined;
    let checksBefore = -1;
    idle!.socket.once("end", () =>
      setImmediate(() => {
        pingInWindow = db.command({ ping: 1 });
        pingInWindow.catch(() => {}); // unpatched, it is still waiting when the client closes
      }),
    );
    monitor.connection!.socket.once("end", () =>
      setImmediate(() => {
        checksBefore = heartbeats.length;
        // Busy, it is already checking: the driver asked for a check when the write's connection failed.
        if (monitor.s.state === "idle") monitor.monitorId._executeAndReschedule();
      }),
    );
    // A long write in flight at the kill fails its connection, so the server is marked Unknown, as under load.
    const inFlight = db
      .collection("c")
      .insertMany(Array.from({ length: 20_000 }, (_, i) => ({ i, pad: "x".repeat(200) })))
      .catch(() => {});
    await Bun.sleep(300);
    await server.stop("SIGKILL");
    await Bun.sleep(1000);
    await server.start();
    await inFlight;

    expect(checksBefore).toBeGreaterThanOrEqual(0);
    // The check running in the window ended (unpatched: it never did, and no check followed).
    for (const until = performance.now() + scaled(10_000); heartbeats.length <= checksBefore && performance.now() < until; ) await Bun.sleep(50);
    expect(heartbeats.length).toBeGreaterThan(checksBefore);
    expect(pingInWindow).toBeDefined();
    expect(await within(pingInWindow!, scaled(20_000))).not.toBe("still waiting");
    expect(await within(db.command({ ping: 1 }), scaled(20_000))).toBe("ok");
    expect(driverServer.description.type).toBe("Standalone");
  }, 120_000);
});
