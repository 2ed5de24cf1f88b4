// `bun run bench`: the figures of issues 11 and 22 in one run, against the compiled binary (dist/todo,
// built when stale), with every gRPC rate also against the floor (a bare grpc-js server: bench/floor.ts).
// Prints a table and writes bench/results.json, marked invalid when the machine was busy at the start.
// Not a test: the numbers depend on the machine.
// Load comes from ghz (gRPC) and Node.js (the raw MongoDB driver; autocannon for the web API), never
// from Bun; this script only orchestrates. BENCH_QUICK=1: shorter runs and the 100k search set only (about 3 minutes).
// See docs/performance.md for what each figure means and the targets.
import { $ } from "bun";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { ensureBinary, ROOT } from "../test/support/binary";
import { type Daemon, startDaemon } from "../test/support/daemon";
import { startFerretDb } from "../test/support/ferretdb";
import { seededDataDir } from "../test/support/seed";
import { findTool } from "../test/support/tools";
import { benchTodo, PATTERNS } from "./data";
import { againstFloor, flat, memoryFigures } from "./floor";
import { CONCURRENCIES, ghzPath, ghzRun, MAX_LOAD_PER_CORE, type PerConcurrency, QUICK, ROUNDS, RUN_SECONDS, round, validity } from "./measure";
import { todoLoads, type WebFigures, webFigures, webRows } from "./web";

const SEARCH_SETS = QUICK ? [100_000] : [100_000, 1_000_000];
/** Seconds of searching per pattern, one search at a time; a pattern none of whose searches ends in that time is "timed out" (null). */
const SEARCH_SECONDS = QUICK ? 3 : 30;
const CLI_RUNS = QUICK ? 10 : 30;
const MONGO_CONCURRENCY = 16;
/** A call on FerretDB is slower than one on SQLite: a short run would end with most of its calls still in flight. */
const MONGO_SECONDS = QUICK ? 4 : 10;

const ghz = ghzPath();
const work = mkdtempSync(join(tmpdir(), "todo-bench-"));
const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

/** Median wall time of `runs` runs of a command, in ms, after two warm-up runs. */
function medianMs(argv: string[], runs = CLI_RUNS): number {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const started = performance.now();
    const proc = Bun.spawnSync(argv, { stdout: "ignore", stderr: "pipe" });
    const elapsed = performance.now() - started;
    if (proc.exitCode !== 0) throw new Error(`${argv.join(" ")} failed: ${proc.stderr.toString()}`);
    if (i >= 2) times.push(elapsed);
  }
  times.sort((x, y) => x - y);
  return round(times[Math.floor(times.length / 2)]!, 1)!;
}

async function main() {
  const started = performance.now();
  // Read first, before this script's own work (a build) adds to the load average.
  const valid = validity();
  const loadStart = loadavg().map((x) => round(x));
  if (!valid.valid) console.warn(`bench: ${valid.invalid_reason} (above ${MAX_LOAD_PER_CORE} per core): this run judges no target`);
  const binary = await ensureBinary();
  // A `go install`ed ghz calls itself "dev"; scripts/install-tools.sh stamps the module it built beside it.
  const ghzSays = Bun.spawnSync([ghz, "--version"], { stdout: "pipe", stderr: "pipe" });
  const ghzVersion = `${ghzSays.stdout}${ghzSays.stderr}`.trim() === "dev" ? await Bun.file(join(ghz, "..", ".ghz.version")).text().then((t) => t.trim(), () => "dev") : `${ghzSays.stdout}${ghzSays.stderr}`.trim();
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    ...valid,
    quick: QUICK,
    machine: { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, memory_gib: round(totalmem() / 2 ** 30, 1), os: (await $`uname -srm`.text()).trim(), loadavg_start: loadStart },
    versions: {
      todo: Bun.spawnSync([binary, "--version"]).stdout.toString().trim(),
      bun: Bun.version,
      node: Bun.spawnSync(["node", "--version"]).stdout.toString().trim(),
      ghz: ghzVersion,
      autocannon: (await Bun.file(join(ROOT, "node_modules/autocannon/package.json")).json()).version,
    },
    settings: { run_seconds: RUN_SECONDS, rounds: ROUNDS, concurrencies: CONCURRENCIES, connections: 1, web_connections: "one per concurrent request (HTTP/1.1 keep-alive), after a 1 s warm-up per run", search_seconds_per_pattern: SEARCH_SECONDS, search_page_size: 50, cli_runs: CLI_RUNS, mongo_concurrency: MONGO_CONCURRENCY, mongo_seconds: MONGO_SECONDS, patterns: PATTERNS },
  };
  const step = (what: string) => console.error(`bench: ${what} (${((performance.now() - started) / 1000).toFixed(0)} s)`);

  // Embedded store: the floor (a bare grpc-js server), the ceiling (health Check), then GetTodo and
  // CreateTodo over gRPC, REST and Connect, taking turns; and both servers' memory around them.
  step("embedded store: floor, noop, get, create (gRPC, REST, Connect)");
  const daemon = await startDaemon({ env: { LOG_LEVEL: "info" } });
  try {
    const created = Bun.spawnSync([binary, "add", "bench target", "--addr", daemon.addr]).stdout.toString();
    const id = created.trim().split(" ")[1];
    if (!id) throw new Error(`todo add failed: ${created}`);
    // The no-op, gRPC's GetTodo and CreateTodo first (their indexes are the figures' below), then the web API's.
    const loads = { noop: { addr: daemon.addr, call: "grpc.health.v1.Health/Check", data: {} }, ...todoLoads(daemon, id) };
    const measured = await againstFloor(daemon, Object.values(loads), { concurrencies: CONCURRENCIES, rounds: ROUNDS, seconds: RUN_SECONDS });
    const [noop, get, create] = measured.vsFloor as [PerConcurrency, PerConcurrency, PerConcurrency];
    Object.assign(results, {
      floor_rps: measured.floorRps,
      noop_rps: measured.rps[0],
      get_rps: measured.rps[1],
      create_rps: measured.rps[2],
      get_vs_noop: measured.vs(1, 0),
      create_vs_noop: measured.vs(2, 0),
      ...flat("check_vs_floor", noop),
      ...flat("get_vs_floor", get),
      ...flat("create_vs_floor", create),
      ...memoryFigures(measured.rss),
      web: webFigures({ names: Object.keys(loads), ...measured }),
    });

    // CLI start-up, against this daemon.
    step("CLI start-up");
    const hello = join(work, "hello");
    writeFileSync(`${hello}.ts`, 'console.log("hello, world");\n');
    await $`bun build --compile --minify --bytecode ${hello}.ts --outfile ${hello}`.quiet();
    results.hello_world_ms = medianMs([hello]);
    results.cli_version_ms = medianMs([binary, "--version"]);
    results.cli_help_ms = medianMs([binary, "--help"]);
    results.cli_read_ms = medianMs([binary, "read", id, "--addr", daemon.addr]);
  } finally {
    await daemon.stop();
  }

  // Search: first pages of 50 over big seeded sets, one search at a time.
  const p50: Record<string, Record<string, number | null> | null> = {};
  const p99: Record<string, Record<string, number | null> | null> = {};
  const searches: Record<string, Record<string, number> | null> = {};
  for (const count of [100_000, 1_000_000]) {
    if (!SEARCH_SETS.includes(count)) {
      p50[label(count)] = p99[label(count)] = searches[label(count)] = null;
      continue;
    }
    step(`seeding ${label(count)} todos`);
    const dataDir = await seededDataDir(count, (i) => benchTodo(i, count));
    step(`search over ${label(count)}`);
    const seeded = await startDaemon({ dataDir, env: { LOG_LEVEL: "info" } });
    p50[label(count)] = {};
    p99[label(count)] = {};
    searches[label(count)] = {};
    try {
      for (const [name, pattern] of Object.entries(PATTERNS)) {
        const request = { pattern, page_size: 50 };
        const r = await ghzRun(seeded.addr, "todo.v1.TodoService/SearchTodos", request, { concurrency: 1, seconds: SEARCH_SECONDS, timeoutS: SEARCH_SECONDS });
        if (!r.ok) console.warn(`  ${name} over ${label(count)}: no search finished within ${SEARCH_SECONDS} s`);
        p50[label(count)]![name] = r.ok ? round(r.p50_ms, 1) : null;
        p99[label(count)]![name] = r.ok ? round(r.p99_ms, 1) : null;
        searches[label(count)]![name] = r.ok;
      }
    } finally {
      await seeded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  Object.assign(results, { search_p50_ms: p50, search_p99_ms: p99, search_calls: searches });

  // MongoDB (FerretDB): the daemon's CreateTodo/GetTodo against the raw driver's insertOne/findOne.
  const ferretdb = findTool("ferretdb");
  if (!ferretdb) {
    console.warn("bench: no ferretdb (scripts/install-tools.sh ferretdb): the MongoDB figures are null");
    Object.assign(results, { mongo_create_vs_driver: null, mongo_get_vs_driver: null });
  } else {
    step("MongoDB: daemon vs driver");
    const server = await startFerretDb(ferretdb);
    let mongoDaemon: Daemon | undefined;
    try {
      mongoDaemon = await startDaemon({ env: { LOG_LEVEL: "info", MONGO_URL: server.url, MONGO_DB: "bench_daemon" } });
      const driver = (op: string) => {
        const proc = Bun.spawnSync(["node", join(import.meta.dir, "mongo-driver-load.mjs"), server.url, "bench_driver", op, String(MONGO_CONCURRENCY), String(MONGO_SECONDS)], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
        if (proc.exitCode !== 0) throw new Error(`mongo-driver-load ${op} failed: ${proc.stderr.toString()}`);
        return JSON.parse(proc.stdout.toString()).rps as number;
      };
      const daemonRun = async (call: string, data: unknown) => {
        await ghzRun(mongoDaemon!.addr, call, data, { concurrency: MONGO_CONCURRENCY, seconds: 1 });
        return (await ghzRun(mongoDaemon!.addr, call, data, { concurrency: MONGO_CONCURRENCY, seconds: MONGO_SECONDS })).rps;
      };
      const create = await daemonRun("todo.v1.TodoService/CreateTodo", { todo: { title: "bench {{.RequestNumber}}", description: "a benchmark todo", tags: ["bench"] } });
      const insert = driver("insert");
      const id = Bun.spawnSync([binary, "add", "bench target", "--addr", mongoDaemon.addr]).stdout.toString().trim().split(" ")[1];
      const get = await daemonRun("todo.v1.TodoService/GetTodo", { id });
      const find = driver("find");
      // The same findOne with the store's filter and projection: how much of the gap is the query's shape on FerretDB.
      const findAsStore = driver("find-as-store");
      Object.assign(results, {
        mongo_rps: { create: round(create, 0), driver_insert: round(insert, 0), get: round(get, 0), driver_find: round(find, 0), driver_find_as_store: round(findAsStore, 0), concurrency: MONGO_CONCURRENCY },
        mongo_create_vs_driver: round(create / insert),
        mongo_get_vs_driver: round(get / find),
      });
    } catch (e) {
      // FerretDB under a loaded machine can stop answering: the other figures are still worth writing.
      const message = ((e as Error).message ?? String(e)).split("\n").find((l) => /Error|failed/.test(l)) ?? String(e);
      console.warn(`bench: the MongoDB figures failed: ${message}\n  FerretDB's last log lines:\n${server.logs().slice(-5).join("\n")}`);
      Object.assign(results, { mongo_error: message, mongo_create_vs_driver: null, mongo_get_vs_driver: null });
    } finally {
      await mongoDaemon?.stop();
      await server.dispose();
    }
  }

  (results.machine as Record<string, unknown>).loadavg_end = loadavg().map((x) => round(x));
  results.seconds = round((performance.now() - started) / 1000, 0);
  writeFileSync(join(import.meta.dir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  rmSync(work, { recursive: true, force: true });
  printTable(results as Results);
  // The daemons and FerretDB were stopped above; nothing else keeps this process alive.
  process.exit(0);
}

/** The targets of issue 11, for the table. */
/** The fields of the results that the table reads beyond single figures. */
type Results = Record<string, unknown> & {
  search_p50_ms: Record<string, Record<string, unknown> | undefined>;
  search_p99_ms: Record<string, Record<string, unknown>>;
  hello_world_ms: number;
  versions: { todo: string; bun: string };
  valid: boolean;
  invalid_reason?: string;
  machine: { cpu: string; cores: number; loadavg_start: number[]; loadavg_end: number[] };
  quick?: boolean;
  seconds: number;
  web?: WebFigures;
};

function printTable(r: Results) {
  const rows: [string, string, string][] = [];
  const fmt = (v: unknown) => (v == null ? "—" : typeof v === "object" ? Object.entries(v).map(([k, x]) => `${k} ${x ?? "—"}`).join(", ") : String(v));
  const vsFloor = (name: string) => (["c1", "c16", "c64"] as const).map((c) => `${c} ${fmt(r[`${name}_vs_floor_${c}`])}`).join(", ");
  rows.push(["floor_rps (bare grpc-js)", fmt(r.floor_rps), "the floor"]);
  rows.push(["noop_rps (health Check)", fmt(r.noop_rps), "the ceiling"]);
  rows.push(["get_rps", fmt(r.get_rps), ""]);
  rows.push(["create_rps", fmt(r.create_rps), ""]);
  rows.push(["check_vs_floor", vsFloor("check"), "≥ 0.8 at c16, c64"]);
  rows.push(["get_vs_floor", vsFloor("get"), ""]);
  rows.push(["create_vs_floor", vsFloor("create"), ""]);
  rows.push(["get_vs_noop", fmt(r.get_vs_noop), "≥ 0.9"]);
  rows.push(["create_vs_noop", fmt(r.create_vs_noop), "≥ 0.7"]);
  rows.push(...webRows(r.web, fmt));
  for (const set of Object.keys(r.search_p50_ms))
    for (const name of Object.keys(PATTERNS))
      rows.push([`search ${set} ${name} p50/p99 ms`, r.search_p50_ms[set] ? `${fmt(r.search_p50_ms[set][name])} / ${fmt(r.search_p99_ms[set]?.[name])}` : "not run", name === "no_literal" ? (set === "1M" ? "≤ 1000" : "linear") : "≤ 50 / ≤ 200"]);
  rows.push(["mongo_create_vs_driver", fmt(r.mongo_create_vs_driver), "≥ 0.8"]);
  rows.push(["mongo_get_vs_driver", fmt(r.mongo_get_vs_driver), "≥ 0.8"]);
  rows.push(["hello_world_ms", fmt(r.hello_world_ms), "the start-up floor"]);
  rows.push(["cli_version_ms", fmt(r.cli_version_ms), `≤ ${round(1.5 * r.hello_world_ms, 1)} (1.5× hello)`]);
  rows.push(["cli_help_ms", fmt(r.cli_help_ms), "≤ 20"]);
  rows.push(["cli_read_ms", fmt(r.cli_read_ms), "≤ 20"]);
  rows.push(["floor_idle_rss_mib / floor_load_rss_mib", `${fmt(r.floor_idle_rss_mib)} / ${fmt(r.floor_load_rss_mib)}`, "the floor"]);
  rows.push(["idle_rss_mib / load_rss_mib", `${fmt(r.idle_rss_mib)} / ${fmt(r.load_rss_mib)}`, ""]);
  rows.push(["idle_rss_vs_floor", fmt(r.idle_rss_vs_floor), "≤ 1.2"]);
  rows.push(["load_rss_vs_floor", fmt(r.load_rss_vs_floor), "≤ 1.5"]);
  const w = [Math.max(...rows.map((x) => x[0].length)), Math.max(...rows.map((x) => x[1].length))];
  console.log(`# ${r.versions.todo}, bun ${r.versions.bun}, ${r.machine.cpu} (${r.machine.cores} cores), load ${r.machine.loadavg_start.join(" ")} → ${r.machine.loadavg_end.join(" ")}${r.quick ? ", BENCH_QUICK" : ""}`);
  if (!r.valid) console.log(`# INVALID: ${r.invalid_reason} (above ${MAX_LOAD_PER_CORE} per core): the targets are judged on valid runs only`);
  for (const [k, v, t] of rows) console.log(`${k.padEnd(w[0]!)}  ${v.padEnd(w[1]!)}  ${t}`);
  console.log(`(bench/results.json, ${r.seconds} s)`);
}

await main();
