// The floor (issue 22): a bare @grpc/grpc-js server (bench/floor-server.ts) compiled the same way as
// todo, run the same way (node_modules hidden), and loaded in turns with todo serve's calls, so every
// gRPC rate and todo serve's memory can be given as a ratio to what the runtime and grpc-js alone do.
// bench/run.ts measures it with everything else; `bun bench/floor.ts` runs the floor part alone: the
// floor against todo serve's health Check at c16 and c64, and both servers' memory (JSON on stdout).
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinary } from "../scripts/build";
import { hidden, startDaemon } from "../test/support/daemon";
import { lineReader } from "../test/support/lines";
import { type Latency, type Load, type PerConcurrency, round, rssMib, throughputs, validity } from "./measure";

export const FLOOR_CALL = "bench.floor.Floor/Ping";

export interface FloorServer {
  addr: string;
  pid: number;
  stop(): Promise<void>;
}

/** Compiles bench/floor-server.ts into `dir`/floor with todo's build options (scripts/build.ts). */
export async function buildFloor(dir: string): Promise<string> {
  const outfile = join(dir, "floor");
  await buildBinary({ outfile, commit: "floor", entrypoints: [join(import.meta.dir, "floor-server.ts")] });
  return outfile;
}

/** Starts the compiled floor server on a port the OS picks, as the harness starts todo serve. */
export async function startFloor(binary: string): Promise<FloorServer> {
  const proc = Bun.spawn(hidden([binary]), { stdout: "pipe", stderr: "pipe" });
  const exited = proc.exited.then(async (code) => {
    throw new Error(`the floor server exited (${code}) before listening: ${await new Response(proc.stderr).text()}`);
  });
  const [line] = await Promise.race([lineReader(proc.stdout).atLeast(1, "the floor server's port", 15_000), exited]);
  exited.catch(() => {});
  return {
    addr: `127.0.0.1:${JSON.parse(line!).port}`,
    pid: proc.pid,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

/** What one measurement against the floor gives: rates per load and per concurrency, and memory. */
export interface AgainstFloor {
  floorRps: PerConcurrency;
  /** Each of `loads`' calls/s. */
  rps: PerConcurrency[];
  /** Each of `loads`' rate over the floor's. */
  vsFloor: PerConcurrency[];
  /** Load i's rate over load j's (indexes into `loads`). */
  vs(i: number, j: number): PerConcurrency;
  /** Each of `loads`' latency and failures (see throughputs). */
  latency: Latency[];
  errors: Record<string, number>[];
  /** Resident memory in MiB, 2 s after the floor started and after the loads; `daemon` is the process `loads` call. */
  rss: { floorIdle: number; floorLoad: number; daemonIdle: number; daemonLoad: number };
}

/**
 * Builds and starts the floor beside a running todo serve (`daemon`), waits 2 s, reads both idle
 * memories, then loads the floor's Ping and each of `loads` in turns (see throughputs), and reads
 * both memories again. The floor is stopped before this returns.
 */
export async function againstFloor(daemon: { pid: number }, loads: Load[], run: Parameters<typeof throughputs>[1]): Promise<AgainstFloor> {
  const dir = mkdtempSync(join(tmpdir(), "todo-floor-"));
  const floor = await startFloor(await buildFloor(dir));
  try {
    await Bun.sleep(2000);
    const floorIdle = rssMib(floor.pid);
    const daemonIdle = rssMib(daemon.pid);
    const { rps, vs, latency, errors } = await throughputs([{ addr: floor.addr, call: FLOOR_CALL, data: {} }, ...loads], run);
    return {
      floorRps: rps[0]!,
      rps: rps.slice(1),
      vsFloor: loads.map((_, i) => vs(i + 1, 0)),
      vs: (i, j) => vs(i + 1, j + 1),
      latency: latency.slice(1),
      errors: errors.slice(1),
      rss: { floorIdle, floorLoad: rssMib(floor.pid), daemonIdle, daemonLoad: rssMib(daemon.pid) },
    };
  } finally {
    await floor.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `{ name_c16: x, name_c64: y }` from `{ c16: x, c64: y }`: the flat keys of bench/results.json. */
export const flat = (name: string, figures: PerConcurrency) => Object.fromEntries(Object.entries(figures).map(([c, x]) => [`${name}_${c}`, x]));

/** The memory figures and their ratios, as bench/results.json has them. */
export function memoryFigures({ floorIdle, floorLoad, daemonIdle, daemonLoad }: AgainstFloor["rss"]) {
  return {
    floor_idle_rss_mib: floorIdle,
    floor_load_rss_mib: floorLoad,
    idle_rss_mib: daemonIdle,
    load_rss_mib: daemonLoad,
    idle_rss_vs_floor: round(daemonIdle / floorIdle),
    load_rss_vs_floor: round(daemonLoad / floorLoad),
  };
}

if (import.meta.main) {
  const started = { ...validity(), loadavg_start: loadavg().map((x) => round(x)) };
  const daemon = await startDaemon({ env: { LOG_LEVEL: "info" } });
  try {
    const floor = await againstFloor(daemon, [{ addr: daemon.addr, call: "grpc.health.v1.Health/Check", data: {} }], { concurrencies: [16, 64], rounds: 1, seconds: 3 });
    const figures = { ...started, floor_rps: floor.floorRps, noop_rps: floor.rps[0], ...flat("check_vs_floor", floor.vsFloor[0]!), ...memoryFigures(floor.rss) };
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    await daemon.stop();
  }
  process.exit(0);
}
