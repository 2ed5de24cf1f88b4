// Sequencing on MongoDB keeps up (issue 20, item 2): a bench, not a test, since it is about time.
//   bun bench/mongo-catchup.bench.ts [creates=10000] [concurrency=16] [migrated=10000]
// On a FerretDB of its own (test/support/ferretdb.ts) and the compiled binary (dist/todo, built if stale):
// 1. `creates` CreateTodo calls at `concurrency` through one daemon (Node's grpc-js, bench/mongo-creates.mjs);
//    then how long after the last answer the log's head (todo_event_log_head_position) equals the events
//    appended (todo_events_appended_total), FerretDB's CPU (from /proc/<pid>/stat) each second after it,
//    and MongoDB commands per CreateTodo (todo_mongo_commands_total, until the head caught up).
// 2. `todo migrate` of `migrated` documents of the original todod (challenge.todo) while a daemon runs:
//    how long until every one's event is in that daemon's log.
// Prints the figures with the load average; docs/performance.md records them.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Long, MongoClient, ObjectId } from "mongodb";
import { ensureBinary, ROOT } from "../test/support/binary";
import { type Daemon, hidden, startDaemon } from "../test/support/daemon";
import { startFerretDb } from "../test/support/ferretdb";
import { findTool } from "../test/support/tools";

const [creates = 10_000, concurrency = 16, migrated = 10_000] = process.argv.slice(2).map(Number);
const ferretdb = findTool("ferretdb");
if (!ferretdb) throw new Error("bench: no ferretdb (scripts/install-tools.sh ferretdb)");
const binary = await ensureBinary();
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
const ticks = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100;

/** CPU seconds the process has used (user + system). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

async function metrics(d: Daemon): Promise<{ head: number; appended: number; lag: number; commands: Record<string, number> }> {
  const text = await (await fetch(`${d.httpUrl}/metrics`)).text();
  const one = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  const commands: Record<string, number> = {};
  for (const [, command, n] of text.matchAll(/^todo_mongo_commands_total\{command="([^"]+)"\} (\S+)$/gm)) commands[command!] = Number(n);
  return { head: one("todo_event_log_head_position"), appended: one("todo_events_appended_total"), lag: one("todo_event_log_lag_events"), commands };
}
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

const server = await startFerretDb(ferretdb);
const daemons: Daemon[] = [];
try {
  // 1. Creates through one daemon.
  const d = await startDaemon({ env: { LOG_LEVEL: "info", MONGO_URL: server.url, MONGO_DB: "bench_catchup" } });
  daemons.push(d);
  const before = await metrics(d);
  console.log(`creates: ${creates} at concurrency ${concurrency} (load average ${load()})`);
  const proc = Bun.spawnSync(["node", join(ROOT, "bench/mongo-creates.mjs"), d.addr, String(creates), String(concurrency)], { stdout: "pipe", stderr: "pipe" });
  const answered = performance.now();
  if (proc.exitCode !== 0) throw new Error(`mongo-creates failed: ${proc.stderr}`);
  const run = JSON.parse(proc.stdout.toString());
  console.log(`  answered: ${run.ok} ok ${JSON.stringify(run.failed)} in ${run.seconds.toFixed(1)} s (${Math.round(run.ok / run.seconds)}/s); load average ${load()}`);
  let caughtUp: number | null = null;
  let last = await metrics(d);
  const cpu: string[] = [];
  let cpuBefore = cpuSeconds(server.pid!);
  let idleAt: number | null = null;
  for (let second = 1; second <= 30 && (caughtUp === null || idleAt === null); second++) {
    // Polled every 100 ms for the head, every second for FerretDB's CPU.
    for (let i = 0; i < 10; i++) {
      await Bun.sleep(100);
      if (caughtUp === null) {
        last = await metrics(d);
        if (last.head >= last.appended && last.appended >= run.ok) caughtUp = (performance.now() - answered) / 1000;
      }
    }
    const cpuNow = cpuSeconds(server.pid!);
    const percent = ((cpuNow - cpuBefore) / ((performance.now() - answered) / 1000 - (second - 1))) * 100;
    cpuBefore = cpuNow;
    cpu.push(`${second}s:${percent.toFixed(0)}%`);
    if (idleAt === null && percent < 5) idleAt = second;
  }
  const after = await metrics(d);
  const commands = Object.fromEntries(Object.entries(after.commands).map(([c, n]) => [c, n - (before.commands[c] ?? 0)]));
  console.log(`  head ${after.head}, appended ${after.appended}, lag ${after.lag}: head = appended ${caughtUp === null ? "NOT within 30 s" : `${caughtUp.toFixed(1)} s after the last answer`}`);
  console.log(`  FerretDB CPU per second after the last answer: ${cpu.join(" ")}; under 5% from second ${idleAt ?? "never (30 s)"}`);
  console.log(`  MongoDB commands per CreateTodo: ${(sum(commands) / run.ok).toFixed(2)} (${JSON.stringify(commands)}); load average ${load()}`);
  const warnings = [...new Set(d.logs().filter((l) => l.level === "warn").map((l) => `${l.msg} ${l.reason ?? ""}`.slice(0, 300)))];
  if (warnings.length) console.log(`  the daemon warned: ${warnings.slice(0, 8).join("\n    ")}`);
  await d.stop();
  daemons.pop();

  // 2. todo migrate while a daemon runs.
  if (!migrated) process.exit(0);
  const client = new MongoClient(server.url);
  const original = client.db("challenge").collection("todo");
  const docs = Array.from({ length: migrated }, (_, i) => ({
    _id: new ObjectId(),
    title: `original ${i}`,
    description: `original item ${i}`,
    tags: ["original"],
    reminder: Long.fromNumber(0),
    state: "NOT_STARTED",
  }));
  for (let i = 0; i < docs.length; i += 100) await original.insertMany(docs.slice(i, i + 100));
  const env = { MONGO_URL: server.url, MONGO_DB: "bench_migrate" };
  const m = await startDaemon({ env: { LOG_LEVEL: "info", ...env } });
  daemons.push(m);
  console.log(`migrate: ${migrated} documents (load average ${load()})`);
  const started = performance.now();
  const migrate = Bun.spawnSync(hidden([binary, "migrate"]), { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  const copied = (performance.now() - started) / 1000;
  if (migrate.exitCode !== 0) throw new Error(`todo migrate failed: ${migrate.stderr}`);
  let inLog: number | null = null;
  for (let deadline = Date.now() + 180_000; inLog === null && Date.now() < deadline; ) {
    await Bun.sleep(250);
    if ((await metrics(m)).head >= migrated) inLog = (performance.now() - started) / 1000;
  }
  console.log(`  todo migrate took ${copied.toFixed(1)} s; every event in the log ${inLog === null ? "NOT within 180 s" : `${inLog.toFixed(1)} s after it started`}; load average ${load()}`);
  await client.close();
} finally {
  for (const d of daemons) await d.stop();
  await server.dispose();
}
