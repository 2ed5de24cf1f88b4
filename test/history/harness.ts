// The history checker's orchestration (see docs/history.md): a store (FerretDB or each daemon's own
// SQLite), N `todo serve` daemons on it, the clients of load.mjs on Node.js spread over them, the faults
// midway (kill -9 of one daemon and its restart on the same port; FerretDB paused with SIGSTOP), then the
// Go checker (checker.go) on the recorded history.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/binary";
import { type Daemon, startDaemon } from "../support/daemon";
import { type FerretDb, startFerretDb } from "../support/ferretdb";
import { freePort } from "../support/net";
import { servePid } from "../support/process";
import { findTool } from "../support/tools";

export interface HistoryOptions {
  store: "sqlite" | "mongo";
  daemons: number;
  seconds: number;
  clients?: number;
  todos?: number;
  seed?: number;
  /** Where the history, the checker's report and any visualization go; default a new temporary folder. */
  dir?: string;
  /** Prints progress (the command does; the test keeps quiet). */
  log?: (line: string) => void;
}

export interface HistoryResult {
  /** The checker passed. */
  ok: boolean;
  dir: string;
  historyPath: string;
  /** The checker's output: one line per finding, then a verdict. */
  report: string;
  /** load.mjs's summary line. */
  load: Record<string, unknown>;
  /** What happened when, in seconds from the start of the load. */
  faults: string[];
}

/** Builds the Go checker into the tools cache (scripts/install-tools.sh rebuilds it when its source changed). */
export function checkerBinary(): string {
  // Go's default install place, as .ci/run adds it.
  const env = { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin` };
  const install = Bun.spawnSync(["bash", join(ROOT, "scripts/install-tools.sh"), "history-check"], { env, stdout: "pipe", stderr: "pipe" });
  if (install.exitCode !== 0) throw new Error(`scripts/install-tools.sh history-check failed:\n${install.stderr}`);
  return join(install.stdout.toString().trim(), "history-check");
}

export async function runHistory(options: HistoryOptions): Promise<HistoryResult> {
  const log = options.log ?? (() => {});
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "todo-history-"));
  mkdirSync(dir, { recursive: true });
  const historyPath = join(dir, "history.json");
  const checker = checkerBinary();
  const node = Bun.which("node");
  if (!node) throw new Error("Node.js is required: the clients must not run on Bun's own grpc-js client");

  let ferret: FerretDb | undefined;
  const daemons: Daemon[] = [];
  /** Every daemon started, the killed one too: their logs go beside the history. */
  const started: Daemon[] = [];
  const faults: string[] = [];
  try {
    let env: Record<string, string> = {};
    if (options.store === "mongo") {
      const binary = findTool("ferretdb");
      if (!binary) throw new Error("ferretdb is not installed: run scripts/install-tools.sh ferretdb");
      ferret = await startFerretDb(binary);
      env = { MONGO_URL: `${ferret.url}todo` };
    }
    // SQLite: each daemon has its own data directory (one daemon is the sensible case); the restart reuses it.
    const starts: { dataDir: string; grpcPort: number }[] = [];
    for (let i = 0; i < options.daemons; i++) {
      const start = { dataDir: mkdtempSync(join(dir, `data-${i}-`)), grpcPort: await freePort() };
      starts.push(start);
      daemons.push(await startDaemon({ ...start, env: { ...env, LOG_LEVEL: "info" } }));
      started.push(daemons[i]!);
    }
    log(`${options.daemons} daemon(s) on ${options.store === "mongo" ? `FerretDB ${ferret!.url}` : "SQLite"}: ${daemons.map((d) => d.addr).join(" ")}`);

    const config = {
      addrs: daemons.map((d) => d.addr),
      clients: options.clients ?? 12,
      todos: options.todos ?? 20,
      seconds: options.seconds,
      seed: options.seed ?? Date.now() % 1e9,
      out: historyPath,
      // How long the log may bring no new event before its reader gives up: longer on MongoDB, whose
      // sequencer trails the writes (issue 20), so that a slow log is told from one that stopped.
      logQuietMs: options.store === "mongo" ? 60_000 : 20_000,
    };
    const client = Bun.spawn([node, join(import.meta.dir, "load.mjs"), JSON.stringify(config)], { stdout: "pipe", stderr: "pipe" });
    const guard = setTimeout(() => client.kill("SIGKILL"), (options.seconds + 360) * 1000);
    const lines = client.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let output = "";
    while (!output.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) break;
      output += value;
    }
    const began = performance.now();
    const at = () => ((performance.now() - began) / 1000).toFixed(1);
    const until = (fraction: number) => Bun.sleep(Math.max(0, began + options.seconds * 1000 * fraction - performance.now()));
    log(`load: ${config.clients} clients on ${config.todos} todos for ${options.seconds} s (seed ${config.seed})`);

    // A third of the way in: kill -9 of the first daemon, restarted at once on the same port (and data).
    await until(1 / 3);
    const victim = daemons[0]!;
    process.kill(servePid(victim.pid), "SIGKILL");
    await victim.process.exited;
    faults.push(`${at()} s: kill -9 of daemon 0 (${victim.addr})`);
    daemons[0] = await startDaemon({ ...starts[0]!, env: { ...env, LOG_LEVEL: "info" } });
    started.push(daemons[0]);
    faults.push(`${at()} s: daemon 0 restarted on the same port`);
    // Past the middle: FerretDB paused for 5 s.
    if (ferret) {
      await until(0.55);
      process.kill(ferret.pid!, "SIGSTOP");
      faults.push(`${at()} s: FerretDB paused (SIGSTOP)`);
      await Bun.sleep(5000);
      process.kill(ferret.pid!, "SIGCONT");
      faults.push(`${at()} s: FerretDB resumed (SIGCONT)`);
    }
    for (const fault of faults) log(`fault at ${fault}`);

    for (;;) {
      const { value, done } = await lines.read();
      if (done) break;
      output += value;
    }
    const [exitCode, stderr] = await Promise.all([client.exited, new Response(client.stderr).text()]);
    clearTimeout(guard);
    if (exitCode !== 0) throw new Error(`load.mjs exited ${exitCode}:\n${stderr}${output}`);
    const load = JSON.parse(output.trim().split("\n").at(-1)!);
    log(`load done: ${JSON.stringify(load)}`);

    const check = Bun.spawnSync([checker, "-history", historyPath, "-out", dir], { stdout: "pipe", stderr: "pipe" });
    const report = `${check.stdout}${check.stderr}`;
    writeFileSync(join(dir, "report.txt"), `${faults.join("\n")}\n${report}`);
    if (check.exitCode !== 0 && check.exitCode !== 1) throw new Error(`history-check exited ${check.exitCode}:\n${report}`);
    return { ok: check.exitCode === 0, dir, historyPath, report, load, faults };
  } finally {
    for (const d of daemons) await d.stop("SIGKILL");
    started.forEach((d, i) => writeFileSync(join(dir, `daemon-${i}.log`), d.logs().map((line) => JSON.stringify(line)).join("\n")));
    if (ferret) {
      if (ferret.pid) process.kill(ferret.pid, "SIGCONT");
      await ferret.dispose();
    }
  }
}
