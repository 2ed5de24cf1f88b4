// What the bench measures with (bench/run.ts, bench/floor.ts, bench/web.ts): ghz runs on one connection,
// HTTP/1.1 runs (bench/http-load.mjs), loads that take turns so their ratios hold on a shared machine, a
// process's resident memory, and whether the machine was quiet enough at the start for the run to judge
// targets by.
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { ROOT } from "../test/support/binary";
import { rssBytes } from "../test/support/process";
import { findTool } from "../test/support/tools";

/** BENCH_QUICK=1: shorter runs (see bench/run.ts). */
export const QUICK = process.env.BENCH_QUICK === "1";
/** Seconds of each throughput run (after a warm-up of a second). */
export const RUN_SECONDS = QUICK ? 2 : 5;
/** Rounds of the throughput runs, taking turns (see throughputs). */
export const ROUNDS = QUICK ? 1 : 3;
export const CONCURRENCIES = [1, 16, 64];

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

/** What one run of a load gives: answered calls per second, their latency, failures by kind. */
export interface LoadReport {
  rps: number;
  ok: number;
  p50_ms: number | null;
  p99_ms: number | null;
  errors: Record<string, number>;
}

export interface GhzReport extends LoadReport {
  count: number;
  p50_ms: number;
  p99_ms: number;
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

/**
 * One closed-loop HTTP/1.1 run from Node.js (bench/http-load.mjs: autocannon, one keep-alive connection
 * per concurrent request, its own 1 s warm-up, then `seconds`); only 2xx answers count as answered.
 */
export function httpRun(load: HttpLoad, opts: { concurrency: number; seconds: number }): LoadReport {
  const args = ["node", join(import.meta.dir, "http-load.mjs"), JSON.stringify({ ...load, ...opts })];
  const proc = Bun.spawnSync(args, { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const text = proc.stdout.toString();
  if (proc.exitCode !== 0 || !text.startsWith("{")) throw new Error(`http-load ${load.method} ${load.url} failed: ${proc.stderr.toString()}`);
  const r = JSON.parse(text) as LoadReport;
  if (Object.keys(r.errors).length) console.warn(`  ${load.method} ${new URL(load.url).pathname} c=${opts.concurrency}: errors ${JSON.stringify(r.errors)}`);
  return r;
}

/** A gRPC call to load a server with (ghz): the server's address, the method, its request. */
export interface GrpcLoad {
  addr: string;
  call: string;
  data: unknown;
}

/** An HTTP/1.1 request to load a server with (bench/http-load.mjs); `[<id>]` in the body becomes a fresh id per request. */
export interface HttpLoad {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

export type Load = GrpcLoad | HttpLoad;

const runLoad = async (load: Load, concurrency: number, seconds: number): Promise<LoadReport> =>
  "url" in load ? httpRun(load, { concurrency, seconds }) : ghzRun(load.addr, load.call, load.data, { concurrency, seconds });

/** Figures per concurrency: `{ c1: …, c16: … }`. */
export type PerConcurrency = Record<string, number | null>;

/** Each load's latency per concurrency, the median of the rounds' figures. */
export interface Latency {
  p50_ms: PerConcurrency;
  p99_ms: PerConcurrency;
}

/**
 * Calls per second of each load at each concurrency: the loads take turns, round after round, after a
 * second's warm-up each (an HTTP run warms its own connections up: see httpRun). `vs(i, j)` is load i's
 * rate over load j's, per concurrency, the median of the rounds' ratios: a change in the machine's other
 * load hits both sides of a ratio alike (it is shared). `errors`: each load's failures over all rounds.
 */
export async function throughputs(loads: Load[], run: { concurrencies: number[]; rounds: number; seconds: number }) {
  for (const load of loads) if (!("url" in load)) await runLoad(load, 16, 1);
  const reports = loads.map(() => Object.fromEntries(run.concurrencies.map((c) => [`c${c}`, [] as LoadReport[]])));
  for (let r = 0; r < run.rounds; r++)
    for (const c of run.concurrencies) for (const [i, load] of loads.entries()) reports[i]![`c${c}`]!.push(await runLoad(load, c, run.seconds));
  const figure = (i: number, of: (r: LoadReport) => number | null, digits: number): PerConcurrency =>
    Object.fromEntries(Object.entries(reports[i]!).map(([k, rs]) => [k, round(median(rs.map(of).filter((x) => x != null)), digits)]));
  const rps = loads.map((_, i) => figure(i, (r) => r.rps, 0));
  const latency: Latency[] = loads.map((_, i) => ({ p50_ms: figure(i, (r) => r.p50_ms, 2), p99_ms: figure(i, (r) => r.p99_ms, 2) }));
  const errors = reports.map((byC) => {
    const sum: Record<string, number> = {};
    for (const r of Object.values(byC).flat()) for (const [kind, n] of Object.entries(r.errors)) sum[kind] = (sum[kind] ?? 0) + n;
    return sum;
  });
  const vs = (i: number, j: number): PerConcurrency =>
    Object.fromEntries(Object.entries(reports[i]!).map(([k, rs]) => [k, round(median(rs.map((x, r) => x.rps / reports[j]![k]![r]!.rps)))]));
  return { rps, vs, latency, errors };
}
