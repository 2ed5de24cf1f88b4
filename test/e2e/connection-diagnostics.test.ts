// When the daemon ends a gRPC connection itself, its log says why (issue 18, item 13: connections
// drained mid-burst, with nothing in the log to tell why): an HTTP/2 error Bun detects on its own (it
// sends GOAWAY and closes; grpc-js has no listener for it), and a connection that never completed the
// HTTP/2 handshake. One line per reason every 10 s at most, with how many connections it ended. A client
// that leaves by resetting its connection is not one of them.
import { expect, test } from "bun:test";
import { connect } from "node:net";
import { join } from "node:path";
import { HANDSHAKE_MS } from "../../src/server/connection-limits";
import { cli, type Daemon, startDaemon } from "../support/daemon";

async function logged(daemon: Daemon, msg: string, withinMs: number): Promise<Record<string, unknown>> {
  const until = Date.now() + withinMs;
  for (;;) {
    const line = daemon.logs().find((l) => typeof l.msg === "string" && l.msg.startsWith(msg));
    if (line) return line;
    if (Date.now() > until) throw new Error(`no log line "${msg}…" within ${withinMs} ms:\n${daemon.logs().map((l) => JSON.stringify(l)).join("\n")}`);
    await Bun.sleep(50);
  }
}

test("a connection the daemon ends for a protocol error or a missing handshake is named in its log, and it serves on", async () => {
  const daemon = await startDaemon();
  try {
    const proc = Bun.spawn([Bun.which("node")!, join(import.meta.dir, "bad-frames.mjs"), daemon.addr], { stdout: "pipe", stderr: "pipe" });
    const [out, err] = [await new Response(proc.stdout).text(), await new Response(proc.stderr).text()];
    expect(err).toBe("");
    const result = JSON.parse(out);
    // Bun answered the DATA frame on stream 0 with GOAWAY PROTOCOL_ERROR (1) and closed the connection.
    expect(result.closed).toBe(true);
    expect(result.goaways[0]).toMatchObject({ code: 1 });
    expect(await logged(daemon, "closed a gRPC connection: HTTP/2 error", 10_000)).toMatchObject({ level: "warn", peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/), connections: 1 });

    // A TCP connection that never sends the HTTP/2 preface.
    const silent = connect(daemon.grpcPort, "127.0.0.1");
    silent.on("error", () => {});
    try {
      expect(await logged(daemon, "closed a gRPC connection: no HTTP/2 handshake", HANDSHAKE_MS + 20_000)).toMatchObject({
        level: "warn",
        msg: `closed a gRPC connection: no HTTP/2 handshake within ${HANDSHAKE_MS / 1000} s`,
      });
    } finally {
      silent.destroy();
    }
    expect(await cli(["add", "after the broken connections", "--addr", daemon.addr])).toMatchObject({ exitCode: 0 });
  } finally {
    await daemon.stop("SIGKILL");
  }
}, 60_000);

test("a client that resets its own connection is not logged as one the daemon closed", async () => {
  // ghz resets its connections as it exits: each reset was logged "closed a gRPC connection: HTTP/2 error
  // ECONNRESET", the line that is to tell why the daemon ended a connection (issue 18, item 13).
  const daemon = await startDaemon();
  try {
    const proc = Bun.spawn([Bun.which("node")!, join(import.meta.dir, "reset-connection.mjs"), daemon.addr], { stdout: "pipe", stderr: "pipe" });
    const [out, err] = [await new Response(proc.stdout).text(), await new Response(proc.stderr).text()];
    expect(err).toBe("");
    expect(JSON.parse(out)).toEqual({ checked: 0, reset: true });
    // The daemon has read the reset by the time it answers a connection made after it (its events come in
    // the order they arrived), and a moment more lets a log line written for it reach the test.
    expect(await cli(["add", "after the reset", "--addr", daemon.addr])).toMatchObject({ exitCode: 0 });
    await Bun.sleep(500);
    expect(daemon.logs().filter((l) => typeof l.msg === "string" && l.msg.startsWith("closed a gRPC connection"))).toEqual([]);
  } finally {
    await daemon.stop("SIGKILL");
  }
}, 30_000);
