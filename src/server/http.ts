// The HTTP side, as a daemon component: Prometheus metrics and the liveness and readiness probes. On
// node:http rather than Bun.serve, because its connections can be counted and closed (see
// limitHttpConnections): Bun.serve has no connection cap.
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";
import { httpConnectionCap, limitHttpConnections } from "./connection-limits";
import type { Component } from "./lifecycle";

type Log = { warn(message: string): void; error(message: string, ...rest: unknown[]): void };
/** Where no logger is given (the projection's port): failures to stderr, the cap's warning dropped. */
const QUIET: Log = { warn: () => {}, error: (message, ...rest) => console.error(message, ...rest) };

/** A connection without a request for this long is closed: the probes and Prometheus reconnect. */
const IDLE_MS = 10_000;

export class HttpListener implements Component {
  readonly name = "http";
  private server?: Server;
  /** The bound port, once started. */
  port = 0;

  constructor(
    private readonly options: {
      host: string;
      port: number;
      registry: Registry;
      /** Why the daemon is not ready, or null. */
      ready: () => Promise<string | null>;
      /** When ready: why it serves only part of its calls (reads but no writes), or null. */
      degraded?: () => string | null;
      log?: Log;
      maxConnections?: number;
    },
  ) {}

  async start(): Promise<void> {
    const { host, port, registry, ready, degraded, log = QUIET } = this.options;
    const text = (status: number, body: string, type = "text/plain; charset=utf-8") => ({ status, body, type });
    const answer = async (pathname: string) => {
      if (pathname === "/metrics") return text(200, await registry.metrics(), registry.contentType);
      if (pathname === "/healthz") return text(200, "ok\n");
      if (pathname === "/readyz") {
        const problem = await ready();
        if (problem !== null) return text(503, `not ready: ${problem}\n`);
        const partly = degraded?.() ?? null;
        return text(200, partly === null ? "ok\n" : `degraded: ${partly}\n`);
      }
      return text(404, "not found: try /metrics, /healthz or /readyz\n");
    };
    const server = createServer((request, response) => {
      const { pathname } = new URL(request.url ?? "/", "http://localhost");
      answer(pathname).then(
        ({ status, body, type }) => response.writeHead(status, { "content-type": type }).end(body),
        (e) => {
          log.error("HTTP request failed", { path: pathname }, e);
          response.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("internal error; the daemon's log has the details\n");
        },
      );
    });
    server.keepAliveTimeout = IDLE_MS;
    server.headersTimeout = IDLE_MS;
    server.requestTimeout = IDLE_MS;
    limitHttpConnections(server, { max: this.options.maxConnections ?? httpConnectionCap(), idleMs: IDLE_MS, log });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", (e) => reject(new Error(`cannot listen for HTTP on ${host}:${port}: ${(e as Error).message}; set HTTP_PORT to a free port`, { cause: e })));
      server.listen(port, host, () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    this.server?.close();
    this.server?.closeAllConnections();
  }
}
