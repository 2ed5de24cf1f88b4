// Prometheus metrics. The gRPC ones are named, labelled and initialised as the original todod's
// go-grpc-prometheus exported them, so its dashboards and alerts keep working after the switch:
// grpc_server_{started,handled,msg_received,msg_sent}_total and grpc_server_handling_seconds (default
// buckets) by grpc_type, grpc_service, grpc_method, and grpc_code spelt as grpc-go spells it (NotFound).
// Plus process metrics, todo_build_info, and whether the original's todos wait to be migrated.
import { type ServerInterceptor, ServerInterceptingCall, type ServiceDefinition } from "@grpc/grpc-js";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** grpc-go's names of the status codes (codes.Code.String()), by code number. */
export const GRPC_CODE_NAMES = [
  "OK",
  "Canceled",
  "Unknown",
  "InvalidArgument",
  "DeadlineExceeded",
  "NotFound",
  "AlreadyExists",
  "PermissionDenied",
  "ResourceExhausted",
  "FailedPrecondition",
  "Aborted",
  "OutOfRange",
  "Unimplemented",
  "Internal",
  "Unavailable",
  "DataLoss",
  "Unauthenticated",
] as const;

/** Prometheus client_golang's DefBuckets, which go-grpc-prometheus uses for the handling time. */
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * prom-client gauges named like counters, which `promtool check metrics` rejects. Nothing is lost
 * without them: nodejs_active_handles, nodejs_active_requests and nodejs_active_resources hold the same
 * counts by type.
 */
const MISNAMED_DEFAULTS = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];

type Method = { path: string; requestStream: boolean; responseStream: boolean };

/** go-grpc-prometheus's grpc_type. */
function grpcType(method: Method): string {
  if (method.requestStream) return method.responseStream ? "bidi_stream" : "client_stream";
  return method.responseStream ? "server_stream" : "unary";
}

/**
 * The labels every call metric carries; path is "/package.Service/Method". The HTTP port's calls add
 * `protocol` ("rest", "connect", "grpc-web"); the gRPC port's go without it, so their series stay
 * exactly go-grpc-prometheus's, and a query summing over the other labels counts every protocol.
 */
function labelsOf(method: Method, protocol?: string) {
  const [, service = "", name = ""] = method.path.split("/");
  const labels = { grpc_type: grpcType(method), grpc_service: service, grpc_method: name };
  return protocol === undefined ? labels : { ...labels, protocol };
}

/** A call the web port served (src/api/http/calls.ts), as the metrics count it. */
export interface WebCall {
  protocol: string;
  path: string;
  streaming: boolean;
}

export function createMetrics(build: { version: string; commit: string }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
  const labelNames = ["grpc_type", "grpc_service", "grpc_method", "protocol"] as const;
  const started = new Counter({ name: "grpc_server_started_total", help: "Total number of RPCs started on the server.", labelNames, registers: [registry] });
  const handled = new Counter({
    name: "grpc_server_handled_total",
    help: "Total number of RPCs completed on the server, regardless of success or failure.",
    labelNames: [...labelNames, "grpc_code"] as const,
    registers: [registry],
  });
  const received = new Counter({ name: "grpc_server_msg_received_total", help: "Total number of RPC stream messages received on the server.", labelNames, registers: [registry] });
  const sent = new Counter({ name: "grpc_server_msg_sent_total", help: "Total number of gRPC stream messages sent by the server.", labelNames, registers: [registry] });
  const latency = new Histogram({
    name: "grpc_server_handling_seconds",
    help: "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.",
    labelNames,
    buckets: DEFAULT_BUCKETS,
    registers: [registry],
  });
  new Gauge({ name: "todo_build_info", help: "The running todo's version and commit; always 1.", labelNames: ["version", "commit"] as const, registers: [registry] }).set(
    { version: build.version, commit: build.commit },
    1,
  );
  const originalTodos = new Gauge({
    name: "todo_original_todos_unmigrated",
    help: "Todos in the original todod's collection (challenge.todo) while this daemon's is empty: run `todo migrate`. 0 otherwise.",
    registers: [registry],
  });
  const mongoCommands = new Counter({
    name: "todo_mongo_commands_total",
    help: "Commands the daemon's MongoDB store started, by command name (none on the embedded store).",
    labelNames: ["command"] as const,
    registers: [registry],
  });

  /**
   * Each method's series, bound once: prom-client hashes a labels object on every inc() or observe()
   * given one, five times a call; a bound child skips that. By path, then by code for `handled`.
   */
  type Bound = ReturnType<typeof started.labels>;
  const bound = new Map<string, { started: Bound; received: Bound; sent: Bound; latency: ReturnType<typeof latency.labels>; labels: ReturnType<typeof labelsOf>; handled: Map<number, Bound> }>();
  const seriesOf = (method: Method) => {
    let series = bound.get(method.path);
    if (!series) {
      const labels = labelsOf(method);
      series = { started: started.labels(labels), received: received.labels(labels), sent: sent.labels(labels), latency: latency.labels(labels), labels, handled: new Map() };
      bound.set(method.path, series);
    }
    return series;
  };

  const interceptor: ServerInterceptor = (method, call) => {
    const startedAt = performance.now();
    const series = seriesOf(method);
    series.started.inc();
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMessage(message, nextMessage) {
            series.received.inc();
            nextMessage(message);
          },
        });
      },
      sendMessage(message, next) {
        series.sent.inc();
        next(message);
      },
      sendStatus(status, next) {
        let byCode = series.handled.get(status.code);
        if (!byCode) series.handled.set(status.code, (byCode = handled.labels({ ...series.labels, grpc_code: GRPC_CODE_NAMES[status.code] ?? String(status.code) })));
        byCode.inc();
        series.latency.observe((performance.now() - startedAt) / 1000);
        next(status);
      },
    });
  };

  /**
   * Creates every series of each method of `services` at zero, as go-grpc-prometheus's
   * InitializeMetrics does: a rate() or an alert on a code that has not happened yet has a series.
   */
  function initialize(services: Record<string, unknown>) {
    for (const definition of Object.values(services)) {
      const methods = Object.values(definition as ServiceDefinition) as unknown[];
      if (!methods.length || !methods.every((m) => typeof (m as Method)?.path === "string")) continue; // a message type, not a service
      for (const method of methods as Method[]) {
        const labels = labelsOf(method);
        started.inc(labels, 0);
        received.inc(labels, 0);
        sent.inc(labels, 0);
        latency.zero(labels);
        for (const code of GRPC_CODE_NAMES) handled.inc({ ...labels, grpc_code: code }, 0);
      }
    }
  }

  /** The web port's calls: counted as they start and as they end (no per-message counts). */
  const web = {
    started(call: WebCall) {
      started.inc(labelsOf({ path: call.path, requestStream: false, responseStream: call.streaming }, call.protocol));
    },
    handled(call: WebCall & { code: number; seconds: number }) {
      const labels = labelsOf({ path: call.path, requestStream: false, responseStream: call.streaming }, call.protocol);
      handled.inc({ ...labels, grpc_code: GRPC_CODE_NAMES[call.code] ?? String(call.code) });
      latency.observe(labels, call.seconds);
    },
  };

  return { registry, interceptor, initialize, originalTodos, mongoCommands, web };
}

/** todo_store_degraded: 1 while the store reads but refuses writes (health.ts says why that is not "unready"). */
export function registerDegradedMetric(registry: Registry, degraded: () => string | null) {
  new Gauge({
    name: "todo_store_degraded",
    help: "1 while the store serves reads but refuses writes (the embedded store's disk is full; /readyz says why), else 0.",
    registers: [registry],
    collect() {
      this.set(degraded() ? 1 : 0);
    },
  });
}

/** What the gRPC server's replies hold unsent (its reply budget, src/api/grpc/reply-budget.ts). */
export function registerUnsentReplyMetric(registry: Registry, heldReplyBytes: () => number) {
  new Gauge({
    name: "todo_grpc_unsent_reply_bytes",
    help: "Bytes of gRPC replies written and not yet flushed to their clients, with the room reserved for replies being prepared.",
    registers: [registry],
    collect() {
      this.set(heldReplyBytes());
    },
  });
}
