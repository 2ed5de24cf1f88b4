// What the bench measures with (bench/run.ts, bench/floor.ts): ghz runs on one connection, loads that
// take turns so their ratios hold on a shared machine, a process's resident memory, and whether the
// machine was quiet enough at the start for the run to judge targets by.
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { ROOT } from "../test/support/binary";
import { rssBytes } from "../test/support/process";
import { findTool } from "../test/support/tools";

export const round = (x: number, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null);

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** A process's resident memory now (VmRSS), in MiB to a tenth (startDaemon's pid is todo serve itself: unshare and sh exec it). */
export const rssMib = (pid: number) => mib(rssBytes(pid));

/** Above this load average per core at the start, a run's figures judge no target (docs/performance.md). */
export const MAX_LOAD_PER_CORE = 0.5;

/** `{ valid: true }`, or `valid: false` with the reason, from the load average now: call it at the start. */
export function validity(): { valid: boolean; invalid_reason?: string } {
  const [load] = loadavg() as [number];
  const cores = cpus().length;
  if (load / cores <= MAX_LOAD_PER_CORE) return { valid: true };
  return { valid: false, invalid_reason: `load ${load.toFixed(1)} on ${cores} cores at start` };
}

export const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : NaN;
};

/** ghz's path; exits saying how to install it when it is missing. */
export function ghzPath(): string {
  const ghz = findTool("ghz");
  if (ghz) return ghz;
  console.error("bench: ghz is not installed; run scripts/install-tools.sh ghz");
  process.exit(1);
}

export interface GhzReport {
  count: number;
  rps: number;
  ok: number;
  p50_ms: number;
  p99_ms: number;
  errors: Record<string, number>;
}

/** The import path (under the repository) and file of each service's .proto, for ghz. */
const PROTOS: Record<string, [string, string]> = {
  "grpc.health.v1.Health": ["node_modules/grpc-health-check/proto", "health/v1/health.proto"],
  "todo.v1.TodoService": ["proto", "todo/v1/todo.proto"],
  "bench.floor.Floor": ["bench", "floor.proto"],
};

/** One ghz run on one connection: `-z` seconds, or `-n` calls. */
export async function ghzRun(addr: string, call: string, data: unknown, opts: { concurrency: number; seconds?: number; calls?: number; timeoutS?: number }): Promise<GhzReport> {
  const [importPath, proto] = PROTOS[call.slice(0, call.lastIndexOf("/"))]!;
  const args = [ghzPath(), "--insecure", "--import-paths", join(ROOT, importPath), "--proto", proto, "--call", call, "-d", JSON.stringify(data)];
  args.push("-c", String(opts.concurrency), "--connections", "1", "--timeout", `${opts.timeoutS ?? 20}s`, "--format", "json");
  args.push(...(opts.seconds ? ["-z", `${opts.seconds}s`] : ["-n", String(opts.calls)]), addr);
  const proc = Bun.spawnSync(args, { stdout: "pipe", stderr: "pipe" });
  const text = proc.stdout.toString();
  if (!text.startsWith("{")) throw new Error(`ghz ${call} failed: ${proc.stderr.toString()}`);
  const r = JSON.parse(text);
  const at = (p: number) => (r.latencyDistribution?.find((d: { percentage: number }) => d.percentage === p)?.latency ?? NaN) / 1e6;
  const ok = r.statusCodeDistribution?.OK ?? 0;
  // A timed run (-z) ends by closing the connection under the calls still in flight: those are not failures.
  const errors = Object.fromEntries(Object.entries((r.errorDistribution ?? {}) as Record<string, number>).filter(([e]) => !(opts.seconds && /connection is closing|transport is closing/.test(e))));
  if (Object.keys(errors).length) console.warn(`  ${call} c=${opts.concurrency}: errors ${JSON.stringify(errors)}`);
  // ghz's rps counts failed calls too: only answered calls count here.
  return { count: r.count, ok, rps: (r.rps * ok) / Math.max(r.count, 1), p50_ms: at(50), p99_ms: at(99), errors };
}

/** A call to load a server with: the server's address, the method, its request. */
export interface Load {
  addr: string;
  call: string;
  data: unknown;
}

/** Figures per concurrency: `{ c1: …, c16: … }`. */
export type PerConcurrency = Record<string, number | null>;

/**
 * Calls per second of each load at each concurrency: the loads take turns, round after round, after a
 * second's warm-up each. `vs(i, j)` is load i's rate over load j's, per concurrency, the median of the
 * rounds' ratios: a change in the machine's other load hits both sides of a ratio alike (it is shared).
 */
export async function throughputs(loads: Load[], run: { concurrencies: number[]; rounds: number; seconds: number }) {
  for (const { addr, call, data } of loads) await ghzRun(addr, call, data, { concurrency: 16, seconds: 1 });
  const samples = loads.map(() => Object.fromEntries(run.concurrencies.map((c) => [`c${c}`, [] as number[]])));
  for (let r = 0; r < run.rounds; r++)
    for (const c of run.concurrencies)
      for (const [i, { addr, call, data }] of loads.entries()) samples[i]![`c${c}`]!.push((await ghzRun(addr, call, data, { concurrency: c, seconds: run.seconds })).rps);
  const rps: PerConcurrency[] = samples.map((byC) => Object.fromEntries(Object.entries(byC).map(([k, xs]) => [k, round(median(xs), 0)])));
  const vs = (i: number, j: number): PerConcurrency =>
    Object.fromEntries(Object.entries(samples[i]!).map(([k, xs]) => [k, round(median(xs.map((x, r) => x / samples[j]![k]![r]!)))]));
  return { rps, vs };
}
