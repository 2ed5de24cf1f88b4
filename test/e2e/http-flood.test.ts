// Idle connections to the HTTP port (metrics and probes) cannot use up the daemon's file descriptors:
// it holds a few (a sixteenth of RLIMIT_NOFILE at most, see httpConnectionCap), a new connection at the
// cap closes the one idle longest, and an idle one is closed after 10 s. The daemon runs with 256
// descriptors here, so a flood of 600 would take them all; meanwhile /readyz answers, and a new gRPC
// connection is served. The flood comes from Node.js (test/e2e/http-flood.mjs).
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { httpConnectionCap } from "../../src/server/connection-limits";
import { descriptors, servePid } from "../support/process";
import { cli, startDaemon } from "../support/daemon";

const NOFILE = 256;
const FLOOD = 600;
const CAP = httpConnectionCap(NOFILE);


test(`${FLOOD} idle HTTP connections to a daemon with ${NOFILE} descriptors: it holds ${CAP}, /readyz and new gRPC connections are served, the idle ones are closed`, async () => {
  const daemon = await startDaemon({ nofile: NOFILE });
  try {
    const pid = servePid(daemon.pid);
    expect(readFileSync(`/proc/${pid}/limits`, "utf8")).toMatch(new RegExp(`^Max open files\\s+${NOFILE}\\s+${NOFILE}`, "m"));
    const before = descriptors(pid);
    const flood = Bun.spawn([Bun.which("node")!, join(import.meta.dir, "http-flood.mjs"), daemon.httpUrl.replace("http://", ""), String(FLOOD), "16"], { stdout: "pipe", stderr: "pipe" });
    await Bun.sleep(3_000);
    // In the middle of the flood: a new gRPC connection is served at once, and the daemon holds few descriptors.
    const during = descriptors(pid);
    const served = await cli(["add", "during the HTTP flood", "--addr", daemon.addr, "--timeout", "10"]);
    const [out, err] = [await new Response(flood.stdout).text(), await new Response(flood.stderr).text()];
    expect(err).toBe("");
    const result = JSON.parse(out);
    console.log(`HTTP flood: ${result.connected} of ${FLOOD} connected; probes ${JSON.stringify(result.probes)}; ${result.stillOpen} still open after 16 s; descriptors ${before} -> ${during}`);
    expect(served).toMatchObject({ exitCode: 0, stderr: "" });
    expect(during - before).toBeLessThanOrEqual(CAP + 10);
    // Every probe was answered, each on a new connection while the flood held the rest (the cap closed the longest idle for it).
    expect(result.probes.length).toBeGreaterThan(10);
    expect(result.probes.every((status: unknown) => status === 200)).toBe(true);
    // Beyond the cap they were closed as they came (before the idle timeout, 10 s, could close any); the rest by the idle timeout.
    expect(result.closedMs.filter((ms: number) => ms < 9_000).length).toBeGreaterThanOrEqual(FLOOD - CAP);
    expect(result.stillOpen).toBe(0);
    expect(daemon.logs()).toContainEqual(expect.objectContaining({ level: "warn", msg: `the HTTP port holds ${CAP} connections, its limit: closing the one idle longest for each new one` }));
    expect((await fetch(`${daemon.httpUrl}/readyz`)).status).toBe(200);
  } finally {
    await daemon.stop("SIGKILL");
  }
}, 90_000);
