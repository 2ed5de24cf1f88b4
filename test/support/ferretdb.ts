// A real MongoDB wire-protocol server for the tests: FerretDB with its SQLite handler, on a free
// 127.0.0.1 port with a temporary data directory, stopped by pid. MongoDB itself cannot be installed
// here; scripts/install-tools.sh ferretdb builds FerretDB into the tools cache.
// With MONGO_URL set, tests use that server instead (and skip the ones that must stop the server).
// Under CI=true a missing server is a failing test; elsewhere the tests are skipped with the reason.
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { test } from "bun:test";
import { accepts } from "./net";
import { stopProcess } from "./process";
import { findTool } from "./tools";

export interface FerretDb {
  /** mongodb://127.0.0.1:PORT/ */
  url: string;
  port: number;
  /** The running server's pid (to pause it with SIGSTOP), or undefined while it is stopped. */
  pid: number | undefined;
  /**
   * Stops the server by pid and waits for it to exit. SIGTERM (the default) waits up to 3 s for open
   * client connections; SIGKILL is an outage as abrupt as a crash. SIGKILL follows after 5 s regardless.
   */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
  /** Its recent log lines (JSON), for a failing test to show. */
  logs(): string[];
  /**
   * What its goroutines are doing, grouped by stack (Go's pprof text), for a test to show when FerretDB
   * stops answering: where it waits says why. Empty when the debug handler does not answer either.
   */
  goroutines(): Promise<string>;
}

export type MongoTarget = { url: string; server?: FerretDb };

/** Started servers, killed if the test process exits without stopping them. */
const running = new Set<Subprocess>();
process.on("exit", () => {
  for (const proc of running) proc.kill("SIGKILL");
});

/** Starts FerretDB from `binary` on a port the OS picks; start() after stop() reuses that port and the data. */
export async function startFerretDb(binary: string): Promise<FerretDb> {
  const dir = mkdtempSync(join(tmpdir(), "todo-ferretdb-"));
  mkdirSync(join(dir, "data"));
  let port = 0;
  // Its debug handler (goroutine dumps), on a port the OS picks at each start, read from its log.
  let debugPort = 0;
  let proc: Subprocess | undefined;
  // FerretDB's log goes to a file, never a pipe: it writes each line under a lock, so a pipe the test
  // process stopped reading (seen once under load) blocked every command that logs, accepting a
  // connection included, and the server answered nothing for the rest of the file.
  const logFile = join(dir, "ferretdb.log");
  const logText = (from = 0) => {
    try {
      return readFileSync(logFile).subarray(from).toString("utf8");
    } catch {
      return "";
    }
  };

  async function launch() {
    const from = existsSync(logFile) ? statSync(logFile).size : 0;
    const out = openSync(logFile, "a");
    const child = Bun.spawn(
      [
        binary,
        "--handler=sqlite",
        `--sqlite-url=file:${join(dir, "data")}/`,
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${port}`,
        "--debug-addr=127.0.0.1:0",
        "--telemetry=disable",
        "--log-format=json",
        "--log-level=info",
      ],
      { stdout: "ignore", stderr: out, env: { PATH: process.env.PATH ?? "" } },
    );
    closeSync(out);
    proc = child;
    running.add(child);
    // FerretDB names the port it listens on in its log, which is how a port of 0 becomes known.
    const until = performance.now() + 15_000;
    for (;;) {
      const text = logText(from);
      const match = /Listening on TCP 127\.0\.0\.1:(\d+)/.exec(text);
      // The debug handler says where it listens just before or after.
      const debug = /Starting debug server on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (match && debug) {
        port = Number(match[1]);
        debugPort = Number(debug[1]);
        break;
      }
      if (child.exitCode !== null || child.signalCode !== null || performance.now() > until) {
        child.kill("SIGKILL");
        const lines = logText(from).trimEnd().split("\n");
        // `go install` of FerretDB 1.24 builds a binary that panics at start for want of its version file.
        const hint = lines.some((l) => l.includes("version.txt")) ? "; this build lacks its version file: rebuild it with scripts/install-tools.sh ferretdb" : "";
        throw new Error(`${binary} ${child.exitCode !== null ? `exited (${child.exitCode})` : "did not say it listens within 15 s"} before listening${hint}:\n${lines.slice(-20).join("\n")}`);
      }
      await Bun.sleep(20);
    }
    for (let i = 0; !(await accepts(port)); i++) {
      if (i > 100) throw new Error(`ferretdb said it listens on ${port} but does not accept connections`);
      await Bun.sleep(50);
    }
  }

  async function stop(signal: "SIGTERM" | "SIGKILL" = "SIGTERM") {
    const child = proc;
    if (!child) return;
    proc = undefined;
    await stopProcess(child, signal, 5000);
    running.delete(child);
  }

  try {
    await launch();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    get url() {
      return `mongodb://127.0.0.1:${port}/`;
    },
    get port() {
      return port;
    },
    get pid() {
      return proc?.pid;
    },
    stop,
    start: launch,
    logs: () => logText().trimEnd().split("\n").slice(-500),
    goroutines: () =>
      fetch(`http://127.0.0.1:${debugPort}/debug/pprof/goroutine?debug=1`, { signal: AbortSignal.timeout(5000) }).then(
        (response) => response.text(),
        () => "",
      ),
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Where the MongoDB tests run: MONGO_URL if set, else a FerretDB started here. Undefined when neither
 * is available, after registering a failing test (CI) or printing why the tests are skipped.
 */
export async function mongoTarget(why: string): Promise<MongoTarget | undefined> {
  if (process.env.MONGO_URL) return { url: process.env.MONGO_URL };
  const binary = findTool("ferretdb");
  if (binary) {
    const server = await startFerretDb(binary);
    return { url: server.url, server };
  }
  const hint = "neither MONGO_URL nor a ferretdb binary is available (run scripts/install-tools.sh ferretdb)";
  if (process.env.CI === "true")
    test(`${why}: a MongoDB server is available`, () => {
      throw new Error(`${hint}; CI must provide it`);
    });
  else console.warn(`skipping ${why}: ${hint}`);
  return undefined;
}
