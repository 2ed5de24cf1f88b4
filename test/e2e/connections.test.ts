// Connections cannot use up the daemon: beyond GRPC_MAX_CONNECTIONS new ones are closed as they arrive,
// a connection that never completes the HTTP/2 handshake is closed after HANDSHAKE_MS, and one that
// completed it but makes no call is closed after GRPC_IDLE_SECONDS (12 here, to tell the two apart). Meanwhile, and afterwards, the
// daemon answers. The flood comes from Node.js (test/e2e/connection-flood.mjs).
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HANDSHAKE_MS } from "../../src/server/connection-limits";
import { descriptors, servePid } from "../support/process";
import { cli, startDaemon } from "../support/daemon";
import { scaled } from "../support/time";

const CAP = 200;
const SILENT = 500;
const IDLE_SECONDS = 12;

const rssMiB = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024);


test("silent and idle connections are capped and closed, and the daemon answers throughout", async () => {
  const daemon = await startDaemon({ env: { GRPC_MAX_CONNECTIONS: String(CAP), GRPC_IDLE_SECONDS: String(IDLE_SECONDS) } });
  try {
    const pid = servePid(daemon.pid);
    const before = { rss: rssMiB(pid), fds: descriptors(pid) };
    // Long enough for both timeouts on a busy machine; the assertions do not depend on it beyond that.
    const seconds = Math.min(30, Math.ceil(scaled((IDLE_SECONDS + 6) * 1000) / 1000));
    const node = Bun.which("node")!;
    const flood = Bun.spawn([node, join(import.meta.dir, "connection-flood.mjs"), daemon.addr, String(SILENT), String(seconds)], { stdout: "pipe", stderr: "pipe" });
    // The flood is under way (Node has started, the idle connection is up, the 500 are connecting).
    await Bun.sleep(4_000);
    const during = { rss: rssMiB(pid), fds: descriptors(pid) };
    // The HTTP port is not part of the cap: probes answer while the gRPC port is full.
    expect((await fetch(`${daemon.httpUrl}/healthz`)).status).toBe(200);
    const [out, err] = [await new Response(flood.stdout).text(), await new Response(flood.stderr).text()];
    expect(err).toBe("");
    const result = JSON.parse(out);
    // Closed before the handshake timeout could have fired: by the cap, on arrival.
    const atOnce = result.closedMs.filter((ms: number) => ms < HANDSHAKE_MS - 2_000).length;
    const last = result.closedMs.at(-1);
    // Within the cap they were accepted; beyond it, closed on arrival; the rest after the handshake timeout.
    expect(result.stillOpen).toBe(0);
    expect(atOnce).toBeGreaterThanOrEqual(SILENT - CAP - 1);
    expect(atOnce).toBeLessThan(SILENT);
    expect(last).toBeGreaterThanOrEqual(HANDSHAKE_MS - 1_000);
    // Closed by the idle timeout, not by the cap or the handshake timeout.
    expect(result.idleHttp2ClosedMs).toBeGreaterThanOrEqual(IDLE_SECONDS * 1000 - 1_000);
    expect(during.fds - before.fds).toBeLessThanOrEqual(CAP + 10);
    expect(during.fds - before.fds).toBeGreaterThan(CAP / 2);
    const r = await cli(["ls", "--addr", daemon.addr]);
    expect(r.exitCode).toBe(0);
    console.log(
      `${SILENT} silent connections against a cap of ${CAP}: ${atOnce} closed on arrival, ${SILENT - atOnce} after the handshake timeout ` +
        `(last at ${last} ms); an idle HTTP/2 connection closed after ${result.idleHttp2ClosedMs} ms; ` +
        `descriptors ${before.fds} → ${during.fds}, RSS ${before.rss} → ${during.rss} MiB`,
    );
  } finally {
    await daemon.stop();
  }
}, 150_000);
