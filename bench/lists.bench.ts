// `bun bench/lists.bench.ts`: issue 22's streams and lists, against the compiled CLI (dist/todo), and
// against another build of it when BEFORE=path is given (the two take turns, run by run, so a busy
// machine weighs on both alike). Not a test: the numbers depend on the machine; the load average is
// printed with them. Targets (docs/performance.md, "Streams and lists"):
// - `todo search --json` of 100,000 matches into `wc -l`: ≥ 50,000 todos/s;
// - `todo list` of 10,000 open todos (piped): ≤ 300 ms;
// - `todo list | head -3` over 1,000,000 open todos: first line ≤ 200 ms, the CLI's memory bounded.
// SETS=small skips the million (its seeding takes a minute or more). RUNS=n (default 7) runs per figure
// (the million: 3 at most). A run's figures: first_ms (spawn to the first byte on stdout), total_ms
// (spawn to exit; null: killed after a minute), peak_mib (the CLI's peak RSS, GNU time's %M).
import { cpSync, rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { ensureBinary } from "../test/support/binary";
import { type Daemon, startDaemon } from "../test/support/daemon";
import { seededDataDir } from "../test/support/seed";
import { benchTodo } from "./data";
import { median, round } from "./measure";

const RUNS = Number(process.env.RUNS ?? 7);
const BEFORE = process.env.BEFORE;
const SMALL = process.env.SETS === "small";
/** A run still going after this long is killed (the build before issue 22 lists a million todos for minutes). */
const DEADLINE_MS = 60_000;

interface Run {
  /** ms from spawn to the first byte of stdout */
  firstMs: number;
  /** ms from spawn to exit */
  totalMs: number;
  /** lines read before stdout closed (or before the reader stopped) */
  lines: number;
  /** peak RSS of the CLI, MiB (VmHWM, from GNU time) */
  peakMib: number;
}

/** Runs `binary args`, reading stdout as a pipe; with `stopAfter`, closes it after that many lines (as `head` does). */
async function timed(binary: string, args: string[], stopAfter?: number): Promise<Run> {
  const started = performance.now();
  const proc = Bun.spawn(["/usr/bin/time", "-f", "%M", binary, ...args], { stdout: "pipe", stderr: "pipe" });
  // A run that has printed nothing after DEADLINE_MS is ended: its first line is "none", its time "> DEADLINE_MS".
  const deadline = setTimeout(() => proc.kill("SIGKILL"), DEADLINE_MS);
  let firstMs = 0;
  let lines = 0;
  const reader = proc.stdout.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!firstMs) firstMs = performance.now() - started;
    for (const byte of value) if (byte === 10) lines++;
    if (stopAfter !== undefined && lines >= stopAfter) {
      await reader.cancel();
      break;
    }
  }
  await proc.exited;
  clearTimeout(deadline);
  const totalMs = proc.signalCode === "SIGKILL" ? Number.POSITIVE_INFINITY : performance.now() - started;
  const stderr = await new Response(proc.stderr).text();
  const peakKib = Number(/(\d+)\s*$/.exec(stderr)?.[1]);
  return { firstMs: firstMs || Number.POSITIVE_INFINITY, totalMs, lines, peakMib: peakKib / 1024 };
}

/** The builds compared, each with its own daemon (the daemon's side of a page changed too). */
type Side = { label: string; binary: string; addr: string };

/** RUNS runs of each side, taking turns; the medians. */
async function figure(name: string, sides: Side[], args: string[], stopAfter?: number, rounds = RUNS) {
  const runs: Record<string, Run[]> = {};
  for (let i = 0; i < rounds; i++) for (const side of sides) (runs[side.label] ??= []).push(await timed(side.binary, [...args, "--addr", side.addr], stopAfter));
  const out: Record<string, { first_ms: number | null; total_ms: number | null; lines: number; peak_mib: number | null }> = {};
  for (const [label, rs] of Object.entries(runs)) {
    out[label] = {
      first_ms: round(median(rs.map((r) => r.firstMs)), 1),
      total_ms: round(median(rs.map((r) => r.totalMs)), 1),
      lines: rs[0]!.lines,
      peak_mib: round(Math.max(...rs.map((r) => r.peakMib)), 1),
    };
  }
  console.log(JSON.stringify({ figure: name, load: loadavg().map((x) => round(x)), ...out }));
  return out;
}

/** A data directory of `count` todos, served by this build's daemon and, with BEFORE, by the other build's on a copy. */
async function withSet<T>(count: number, fn: (sides: Side[]) => Promise<T>) {
  const started = performance.now();
  const dataDir = await seededDataDir(count, (i) => benchTodo(i, count));
  console.error(`seeded ${count} todos in ${Math.round(performance.now() - started)} ms`);
  const copy = `${dataDir}-before`;
  if (BEFORE) cpSync(dataDir, copy, { recursive: true });
  const daemons: Daemon[] = [];
  try {
    const sides: Side[] = [];
    if (BEFORE) {
      daemons.push(await startDaemon({ dataDir: copy, binary: BEFORE, env: { LOG_LEVEL: "info" } }));
      sides.push({ label: "before", binary: BEFORE, addr: daemons.at(-1)!.addr });
    }
    daemons.push(await startDaemon({ dataDir, env: { LOG_LEVEL: "info" } }));
    sides.push({ label: "after", binary: await ensureBinary(), addr: daemons.at(-1)!.addr });
    return await fn(sides);
  } finally {
    for (const daemon of daemons) await daemon.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(copy, { recursive: true, force: true });
  }
}

async function main() {
  console.log(JSON.stringify({ cores: cpus().length, load_at_start: loadavg().map((x) => round(x)), runs: RUNS, before: BEFORE ?? null }));
  const results: Record<string, unknown> = {};
  await withSet(100_000, async (sides) => {
    const r = await figure("search --json, 100,000 matches", sides, ["search", "--json"]);
    for (const v of Object.values(r)) Object.assign(v, { todos_per_s: v.total_ms ? Math.round(100_000 / (v.total_ms / 1000)) : null });
    results.search_json_100k = r;
  });
  await withSet(10_000, async (sides) => {
    results.list_10k = await figure("list, 10,000 open todos", sides, ["list"]);
  });
  if (!SMALL)
    await withSet(1_000_000, async (sides) => {
      // Three rounds: the build before streaming reads the whole list (a minute or more) before its first line.
      results.list_1m_head3 = await figure("list | head -3, 1,000,000 open todos", sides, ["list"], 3, Math.min(RUNS, 3));
      // The same table without the list's filter and order (every state, oldest first): what the first
      // page costs apart from the store's query for open todos by reminder.
      results.search_1m_head3 = await figure("search | head -3, 1,000,000 todos", sides, ["search"], 3, Math.min(RUNS, 3));
    });
  console.log(JSON.stringify({ results, load_at_end: loadavg().map((x) => round(x)) }, null, 1));
}

await main();
