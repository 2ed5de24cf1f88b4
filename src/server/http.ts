// The HTTP side, as a daemon component: Prometheus metrics and the liveness and readiness probes.
import type { Registry } from "prom-client";
import type { Component } from "./lifecycle";

export class HttpListener implements Component {
  readonly name = "http";
  private server?: ReturnType<typeof Bun.serve>;

  constructor(
    private readonly options: {
      host: string;
      port: number;
      registry: Registry;
      /** Why the daemon is not ready, or null. */
      ready: () => Promise<string | null>;
      /** When ready: why it serves only part of its calls (reads but no writes), or null. */
      degraded?: () => string | null;
    },
  ) {}

  /** The bound port, once started. */
  get port(): number {
    return this.server?.port ?? 0;
  }

  async start(): Promise<void> {
    const { host, port, registry, ready, degraded } = this.options;
    try {
      this.server = Bun.serve({
        hostname: host,
        port,
        // A connection without a request for this long is closed (Bun's default, made explicit: the
        // probes and Prometheus reconnect; idle connections must not pile up).
        idleTimeout: 10,
        async fetch(request) {
          const { pathname } = new URL(request.url);
          if (pathname === "/metrics") return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
          if (pathname === "/healthz") return new Response("ok\n");
          if (pathname === "/readyz") {
            const problem = await ready();
            if (problem !== null) return new Response(`not ready: ${problem}\n`, { status: 503 });
            const partly = degraded?.() ?? null;
            return new Response(partly === null ? "ok\n" : `degraded: ${partly}\n`);
          }
          return new Response("not found: try /metrics, /healthz or /readyz\n", { status: 404 });
        },
      });
    } catch (e) {
      throw new Error(`cannot listen for HTTP on ${host}:${port}: ${(e as Error).message}; set HTTP_PORT to a free port`, { cause: e });
    }
  }

  async stop(): Promise<void> {
    this.server?.stop(true);
  }
}
