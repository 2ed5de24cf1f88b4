// The HTTP side: Prometheus metrics and the liveness and readiness probes.
import type { Registry } from "prom-client";

export function startHttpServer(options: { host: string; port: number; registry: Registry; ready: () => Promise<string | null> }) {
  return Bun.serve({
    hostname: options.host,
    port: options.port,
    async fetch(request) {
      const { pathname } = new URL(request.url);
      if (pathname === "/metrics") {
        return new Response(await options.registry.metrics(), { headers: { "content-type": options.registry.contentType } });
      }
      if (pathname === "/healthz") return new Response("ok\n");
      if (pathname === "/readyz") {
        const problem = await options.ready();
        return problem === null ? new Response("ok\n") : new Response(`not ready: ${problem}\n`, { status: 503 });
      }
      return new Response("not found: try /metrics, /healthz or /readyz\n", { status: 404 });
    },
  });
}
