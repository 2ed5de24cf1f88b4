// A real MongoDB wire-protocol server for the tests: FerretDB with its SQLite handler, on a free
// 127.0.0.1 port with a temporary data directory, stopped by pid. MongoDB itself cannot be installed
// here; scripts/install-tools.sh ferretdb builds FerretDB into the tools cache.
// With MONGO_URL set, tests use that server instead (and skip the ones that must stop the server).
// Under CI=true a missing server is a failing test; elsewhere the tests are skipped with the reason.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { test } from "bun:test";
import { accepts, freePort } from "./net";
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
  const debugPort = await freePort();
  let proc: Subprocess<"ignore", "ignore", "pipe"> | undefined;
  const log: string[] = [];

  async function launch() {
    const child = Bun.spawn(
      [
        binary,
        "--handler=sqlite",
        `--sqlite-url=file:${join(dir, "data")}/`,
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${port}`,
        `--debug-addr=127.0.0.1:${debugPort}`,
        "--telemetry=disable",
        "--log-format=json",
        "--log-level=info",
      ],
      { stdout: "ignore", stderr: "pipe", env: { PATH: process.env.PATH ?? "" } },
    );
    proc = child;
    running.add(child);
    // FerretDB logs to stderr and names the port it listens on, which is how a port of 0 becomes known.
    // The pipe is read to the end: closing it early would kill FerretDB with SIGPIPE on its next line.
    const listening = new Promise<number>((resolve, reject) => {
      void (async () => {
        let buffer = "";
        for await (const chunk of child.stderr) {
          buffer += new TextDecoder().decode(chunk);
          let nl: number;
          while ((nl = buffer.indexOf("\n")) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            log.push(line);
            if (log.length > 500) log.shift();
            const match = /Listening on TCP 127\.0\.0\.1:(\d+)/.exec(line);
            if (match) resolve(Number(match[1]));
          }
        }
        // `go install` of FerretDB 1.24 builds a binary that panics at start for want of its version file.
        const hint = log.some((l) => l.includes("version.txt")) ? "; this build lacks its version file: rebuild it with scripts/install-tools.sh ferretdb" : "";
        reject(new Error(`${binary} exited (${await child.exited}) before listening${hint}:\n${log.slice(-20).join("\n")}`));
      })();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    try {
      port = await listening;
    } finally {
      clearTimeout(timer);
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
    logs: () => [...log],
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
