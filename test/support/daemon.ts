// Runs the compiled binary as a person or an orchestrator would: `todo serve` on free ports with a
// temporary data directory, and the CLI against it. Both run with the build tree's node_modules hidden
// (an empty directory bind-mounted over it in a private mount namespace), because the binary keeps the
// build machine's absolute paths and would otherwise find files a released binary never has.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { ensureBinary, ROOT } from "./binary";

// Probed, not assumed: root inside a container build (docker build --target test) has no mount namespace.
const canHide = Bun.spawnSync(["unshare", "-m", "true"], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
if (!canHide) {
  if (process.env.CI === "true") throw new Error("end-to-end tests need `unshare -m` (root) to hide node_modules from the binary");
  console.warn("note: no mount namespace (not root, or inside a container): the binary runs with node_modules visible");
}

const emptyDir = mkdtempSync(join(tmpdir(), "todo-empty-"));

/** argv that runs `command` with node_modules hidden. */
export function hidden(command: string[]): string[] {
  if (!canHide) return command;
  const script = `mount --bind "$0" "$1" && shift && exec "$@"`;
  return ["unshare", "-m", "--propagation", "private", "sh", "-c", script, emptyDir, join(ROOT, "node_modules"), ...command];
}

/**
 * Collects a `todo serve` process's JSON log lines, and resolves with the "todod listening" line (which
 * carries the ports it bound) or rejects with everything it printed if it exits first.
 */
export function watchLogs(proc: Subprocess<"ignore" | "pipe" | "inherit", "pipe", "pipe">, name: string) {
  const lines: Record<string, unknown>[] = [];
  let stderr = "";
  void (async () => {
    for await (const chunk of proc.stderr) stderr += new TextDecoder().decode(chunk);
  })();
  const listening = new Promise<Record<string, unknown>>((resolve, reject) => {
    void (async () => {
      let buffer = "";
      for await (const chunk of proc.stdout) {
        buffer += new TextDecoder().decode(chunk);
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          try {
            const entry = JSON.parse(line);
            lines.push(entry);
            if (entry.msg === "todod listening") resolve(entry);
          } catch {
            lines.push({ raw: line });
          }
        }
      }
      reject(new Error(`${name} exited (${await proc.exited}) before listening:\n${lines.map((l) => JSON.stringify(l)).join("\n")}\n${stderr}`));
    })();
  });
  return { lines, listening, stderr: () => stderr };
}

export interface Daemon {
  pid: number;
  addr: string;
  grpcPort: number;
  httpUrl: string;
  dataDir: string;
  process: Subprocess<"ignore", "pipe", "pipe">;
  /** Every log line so far, parsed. */
  logs(): Record<string, unknown>[];
  /** What it printed on stderr so far: the log is on stdout, so this is empty unless the runtime spoke (a warning). */
  stderr(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

export interface DaemonOptions {
  dataDir?: string;
  env?: Record<string, string>;
  args?: string[];
  /** Fixed ports, e.g. to restart on the same address; default: free ports chosen by the OS. */
  grpcPort?: number;
  httpPort?: number;
  /** Run in the mount namespace of this process (e.g. one holding a small tmpfs: a disk that fills up). */
  mountNamespaceOf?: number;
  /** Run it with this many file descriptors at most (soft and hard RLIMIT_NOFILE, set by prlimit). */
  nofile?: number;
  /** Another build of todo to run (a benchmark's "before"); default: this tree's dist/todo. */
  binary?: string;
}

/** Daemons a test started and did not stop (it failed before its stop): killed when the run ends. */
const running = new Set<Subprocess>();
process.on("exit", () => {
  for (const proc of running) proc.kill("SIGKILL");
});

export async function startDaemon(options: DaemonOptions = {}): Promise<Daemon> {
  const binary = options.binary ?? (await ensureBinary());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "todo-data-"));
  mkdirSync(dataDir, { recursive: true });
  const enter = options.mountNamespaceOf ? ["nsenter", "-t", String(options.mountNamespaceOf), "-m", "--"] : [];
  const limit = options.nofile === undefined ? [] : ["prlimit", `--nofile=${options.nofile}:${options.nofile}`, "--"];
  const proc = Bun.spawn(
    [...enter, ...limit, ...hidden([binary, "serve", "--host", "127.0.0.1", "--grpc-port", String(options.grpcPort ?? 0), "--http-port", String(options.httpPort ?? 0), ...(options.args ?? [])])],
    { env: { PATH: process.env.PATH!, HOME: process.env.HOME!, TODO_DATA_DIR: dataDir, LOG_LEVEL: "debug", ...options.env }, stdout: "pipe", stderr: "pipe" },
  );
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  const { lines, listening, stderr } = watchLogs(proc, "todo serve");
  const timeout = setTimeout(() => proc.kill("SIGKILL"), 15_000);
  const ready = await listening.finally(() => clearTimeout(timeout));
  return {
    pid: proc.pid,
    addr: `127.0.0.1:${ready.grpcPort}`,
    grpcPort: ready.grpcPort as number,
    httpUrl: `http://127.0.0.1:${ready.httpPort}`,
    dataDir,
    process: proc,
    logs: () => lines,
    stderr,
    async stop(signal = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid, signal);
      return await proc.exited;
    },
  };
}

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * The HOME cli() gives the binary unless a test names one: a client with no address starts a local
 * daemon for its user (src/cli/local-daemon.ts), which must never be the real user's, with data in
 * the real HOME, left running.
 */
let cliHome: string | undefined;
function testHome(): string {
  cliHome ??= mkdtempSync(join(tmpdir(), "todo-cli-home-"));
  return cliHome;
}

/** Runs `todo <args>` and returns what a person would see. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const binary = await ensureBinary();
  const proc = Bun.spawn(hidden([binary, ...args]), { env: { PATH: process.env.PATH!, HOME: testHome(), ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, exitCode };
}
