// The web API's rates (issue 23): GetTodo and CreateTodo over REST and Connect (JSON) on the daemon's
// HTTP port, HTTP/1.1 from Node.js (bench/http-load.mjs), taking turns with gRPC's same two calls, so each
// is also a ratio to gRPC's figure of the same rounds. bench/run.ts measures them with everything else;
// `bun bench/web.ts` runs this part alone against a fresh daemon (BENCH_QUICK=1: one round of 2 s), JSON
// on stdout. See docs/performance.md for what the figures mean.
import { loadavg } from "node:os";
import { ensureBinary } from "../test/support/binary";
import { type Daemon, startDaemon } from "../test/support/daemon";
import { CONCURRENCIES, type GrpcLoad, type HttpLoad, type Latency, type PerConcurrency, ROUNDS, RUN_SECONDS, round, throughputs, validity } from "./measure";

/** The todo every CreateTodo writes; its title gets a per-request suffix (ghz's and autocannon's templates). */
const BENCH_TODO = { description: "a benchmark todo", tags: ["bench"] };

export const WEB_LOADS = ["rest_get", "connect_get", "rest_create", "connect_create"] as const;
export type WebLoad = (typeof WEB_LOADS)[number];
type GrpcName = "grpc_get" | "grpc_create";
/** The gRPC call each web load's rate is compared with. */
const GRPC_OF: Record<WebLoad, GrpcName> = { rest_get: "grpc_get", connect_get: "grpc_get", rest_create: "grpc_create", connect_create: "grpc_create" };

/** Connect's unary JSON protocol, as the official clients send it. */
const CONNECT_JSON = { "content-type": "application/json", "connect-protocol-version": "1" };

/** GetTodo (of the todo `id`) and CreateTodo over gRPC (ghz) and the web API (HTTP/1.1). */
export function todoLoads(daemon: Pick<Daemon, "addr" | "httpUrl">, id: string): Record<GrpcName, GrpcLoad> & Record<WebLoad, HttpLoad> {
  const service = `${daemon.httpUrl}/todo.v1.TodoService`;
  const httpTodo = JSON.stringify({ title: "bench [<id>]", ...BENCH_TODO });
  return {
    grpc_get: { addr: daemon.addr, call: "todo.v1.TodoService/GetTodo", data: { id } },
    grpc_create: { addr: daemon.addr, call: "todo.v1.TodoService/CreateTodo", data: { todo: { title: "bench {{.RequestNumber}}", ...BENCH_TODO } } },
    rest_get: { url: `${daemon.httpUrl}/v1/todos/${id}`, method: "GET" },
    connect_get: { url: `${service}/GetTodo`, method: "POST", headers: CONNECT_JSON, body: JSON.stringify({ id }) },
    rest_create: { url: `${daemon.httpUrl}/v1/todos`, method: "POST", headers: { "content-type": "application/json" }, body: httpTodo },
    connect_create: { url: `${service}/CreateTodo`, method: "POST", headers: CONNECT_JSON, body: `{"todo":${httpTodo}}` },
  };
}

/** What throughputs (or againstFloor) measured, with each load's name in the same order. */
interface Measured {
  names: string[];
  rps: PerConcurrency[];
  vs(i: number, j: number): PerConcurrency;
  latency: Latency[];
  errors: Record<string, number>[];
}

/** bench/results.json's `web`: each web load's calls/s, its ratio to gRPC's same call, latencies (gRPC's beside them), failures. */
export function webFigures({ names, rps, vs, latency, errors }: Measured) {
  const at = (name: string) => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`bench: no ${name} load measured`);
    return i;
  };
  const each = <T>(of: (name: WebLoad) => T) => Object.fromEntries(WEB_LOADS.map((name) => [name, of(name)])) as Record<WebLoad, T>;
  const withGrpc = ["grpc_get", ...WEB_LOADS.filter((n) => n.endsWith("_get")), "grpc_create", ...WEB_LOADS.filter((n) => n.endsWith("_create"))];
  return {
    ...each((name) => rps[at(name)]!),
    vs_grpc: each((name) => vs(at(name), at(GRPC_OF[name]))),
    p50_ms: Object.fromEntries(withGrpc.map((name) => [name, latency[at(name)]!.p50_ms])),
    p99_ms: Object.fromEntries(withGrpc.map((name) => [name, latency[at(name)]!.p99_ms])),
    errors: each((name) => errors[at(name)]!),
  };
}

export type WebFigures = ReturnType<typeof webFigures>;

/** The table's rows for the web figures: [key, value, what it is compared with]. */
export function webRows(web: WebFigures | undefined, fmt: (v: unknown) => string): [string, string, string][] {
  if (!web) return [["web", "not run", ""]];
  const rows: [string, string, string][] = [];
  for (const name of WEB_LOADS) {
    rows.push([`${name}_rps`, fmt(web[name]), ""]);
    rows.push([`${name}_vs_grpc`, fmt(web.vs_grpc[name]), `over ${GRPC_OF[name] === "grpc_get" ? "get_rps" : "create_rps"}`]);
  }
  const failed = Object.entries(web.errors).filter(([, e]) => Object.keys(e as object).length);
  rows.push(["web errors", failed.length ? failed.map(([name, e]) => `${name} ${JSON.stringify(e)}`).join("; ") : "none", "any non-2xx answer counts"]);
  return rows;
}

if (import.meta.main) {
  const started = { ...validity(), loadavg_start: loadavg().map((x) => round(x)) };
  const binary = await ensureBinary();
  const daemon = await startDaemon({ env: { LOG_LEVEL: "info" } });
  try {
    const id = Bun.spawnSync([binary, "add", "bench target", "--addr", daemon.addr]).stdout.toString().trim().split(" ")[1];
    if (!id) throw new Error("todo add failed");
    const loads = todoLoads(daemon, id);
    const names = Object.keys(loads);
    const measured = await throughputs(Object.values(loads), { concurrencies: CONCURRENCIES, rounds: ROUNDS, seconds: RUN_SECONDS });
    const figures = { ...started, settings: { run_seconds: RUN_SECONDS, rounds: ROUNDS }, get_rps: measured.rps[0], create_rps: measured.rps[1], web: webFigures({ names, ...measured }) };
    console.log(JSON.stringify({ ...figures, loadavg_end: loadavg().map((x) => round(x)) }, null, 2));
  } finally {
    await daemon.stop();
  }
  process.exit(0);
}
