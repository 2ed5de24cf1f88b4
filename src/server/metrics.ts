// Prometheus metrics: calls by method and status code, latency per method, and process metrics.
import { type ServerInterceptor, ServerInterceptingCall, status } from "@grpc/grpc-js";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const calls = new Counter({
    name: "grpc_server_handled_total",
    help: "gRPC calls completed, by method and status code.",
    labelNames: ["grpc_service", "grpc_method", "grpc_code"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "grpc_server_handling_seconds",
    help: "Time from a call's start to its status, by method.",
    labelNames: ["grpc_service", "grpc_method"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const interceptor: ServerInterceptor = (method, call) => {
    const started = performance.now();
    // path is "/package.Service/Method"
    const [, service = "", name = ""] = method.path.split("/");
    return new ServerInterceptingCall(call, {
      sendStatus(sent, next) {
        calls.inc({ grpc_service: service, grpc_method: name, grpc_code: status[sent.code] ?? String(sent.code) });
        latency.observe({ grpc_service: service, grpc_method: name }, (performance.now() - started) / 1000);
        next(sent);
      },
    });
  };

  return { registry, interceptor };
}
