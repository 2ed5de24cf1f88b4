// The HTTP side, as a daemon component: Prometheus metrics and the liveness and readiness probes, and
// the web API (REST, Connect, gRPC-Web, the page: src/api/http/router.ts) on every other path. Over
// TLS when asked (HTTP_TLS), with the gRPC port's certificate. On node:http rather than Bun.serve,
// because its connections can be counted and closed (see limitHttpConnections): Bun.serve has no
// connection cap.
import { chmodSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer, type SecureContextOptions, type Server as TlsServer } from "node:tls";
import type { Registry } from "prom-client";
import { httpConnectionCap, limitHttpConnections } from "./connection-limits";
import type { Component } from "./lifecycle";
import { freeSocketPath } from "./unix-socket";

type Log = { warn(message: string): void; error(message: string, ...rest: unknown[]): void; info?(message: string, fields: object): void };
/** Where no logger is given (the projection's port): failures to stderr, the cap's warning dropped. */
const QUIET: Log = { warn: () => {}, error: (message, ...rest) => console.error(message, ...rest) };

/** What listens on the port: the HTTP server, or the TLS server in front of it. */
type Listening = (Server | TlsServer) & { closeAllConnections(): void };

/** A connection without a request for this long is closed: the probes and Prometheus reconnect. */
const IDLE_MS = 10_000;

export class HttpListener implements Component {
  readonly name = "http";
  private server?: Listening;
  /** Every server this listener made: one more per certificate renewal (HTTP_TLS), each closed on stop. */
  private readonly servers = new Set<Listening>();
  /** The bound port, once started. */
  port = 0;

  constructor(
    private readonly options: {
      host: string;
      port: number;
      /** A Unix socket to serve on instead of host:port (created 0600; in plain text). */
      socket?: string;
      registry: Registry;
      /** Why the daemon is not ready, or null. */
      ready: () => Promise<string | null>;
      /** When ready: why it serves only part of its calls (reads but no writes), or null. */
      degraded?: () => string | null;
      log?: Log;
      maxConnections?: number;
      /** The web API, answering every path the probes and /metrics do not. */
      api?: { handle(request: IncomingMessage, response: ServerResponse): void; readonly inFlight: number };
      /** TLS: the certificate (and the client CA, whose certificates then name callers); reloaded on SIGHUP. */
      tls?: { context: () => SecureContextOptions & { ca?: Buffer }; onReload(listener: () => void): void };
      /** How long a drain waits for API calls in flight. */
      drainSeconds?: number;
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
    const PROBES = new Set(["/metrics", "/healthz", "/readyz"]);
    const api = this.options.api;
    const handle = (request: IncomingMessage, response: ServerResponse) => {
      const { pathname } = new URL(request.url ?? "/", "http://localhost");
      if (api && !PROBES.has(pathname)) return api.handle(request, response);
      answer(pathname).then(
        ({ status, body, type }) => response.writeHead(status, { "content-type": type }).end(body),
        (e) => {
          log.error("HTTP request failed", { path: pathname }, e);
          response.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("internal error; the daemon's log has the details\n");
        },
      );
    };
    const tls = this.options.tls;
    const context = () => {
      const { ca, ...rest } = tls!.context();
      // A client certificate is asked for when there is a CA to check it against; one that does not
      // verify names nobody (a token may still), so browsers without one are not turned away.
      return { ...rest, ...(ca ? { ca, requestCert: true } : {}), rejectUnauthorized: false };
    };
    const make = (): Listening => {
      const server = createServer(handle);
      server.keepAliveTimeout = IDLE_MS;
      server.headersTimeout = IDLE_MS;
      server.requestTimeout = IDLE_MS;
      limitHttpConnections(server, { max: this.options.maxConnections ?? httpConnectionCap(), idleMs: IDLE_MS, log });
      if (!tls) return server;
      // TLS in front of the HTTP server rather than node:https: Bun's https sockets cannot tell the peer's
      // certificate (no getPeerCertificate, which names a mutual-TLS caller); its node:tls sockets can.
      const secure = createTlsServer(context(), (socket) => server.emit("connection", socket));
      return Object.assign(secure, { closeAllConnections: () => server.closeAllConnections() });
    };
    const listen = (server: Listening, at: number) =>
      new Promise<void>((resolve, reject) => {
        server.once("error", (e) => reject(new Error(`cannot listen for HTTP on ${host}:${at}: ${(e as Error).message}; set HTTP_PORT to a free port`, { cause: e })));
        server.listen(at, host, () => {
          this.port = (server.address() as { port: number }).port;
          resolve();
        });
      });
    this.server = make();
    this.servers.add(this.server);
    if (this.options.socket !== undefined) return this.listenOnSocket(this.server, this.options.socket, log);
    await listen(this.server, port);
    // Bun's TLS servers cannot swap their certificate (setSecureContext: oven-sh/bun#42576, #43015, open):
    // a renewed certificate gets a new server on the same port. The old one stops accepting first (so the
    // port is free: a connection attempt in that moment is refused, and retried by clients); the
    // connections it holds go on with the old certificate until they close.
    tls?.onReload(() => {
      const old = this.server!;
      old.close();
      this.server = make();
      this.servers.add(this.server);
      listen(this.server, this.port).catch((e) => log.error(`the HTTP port did not reopen with the renewed certificate: ${(e as Error).message}`));
    });
  }

  /**
   * Serves on a Unix socket only this user may connect to (0600; its directory's mode is the caller's
   * to choose), as the local daemon's gRPC socket: the CLI's calls to it skip HTTP/2 and protobuf.
   */
  private async listenOnSocket(server: Listening, path: string, log: Log): Promise<void> {
    await freeSocketPath(path, "HTTP", "HTTP_SOCKET", log.info ? { info: log.info.bind(log) } : undefined);
    await new Promise<void>((resolve, reject) => {
      server.once("error", (e) => reject(new Error(`cannot listen for HTTP on unix:${path}: ${(e as Error).message}; set HTTP_SOCKET to a path in a directory this user can write`, { cause: e })));
      server.listen(path, () => resolve());
    });
    // Made with the process's umask; the directory keeps others out meanwhile.
    chmodSync(path, 0o600);
  }

  /** Stops taking connections and waits (up to the drain deadline) for the API calls in flight. */
  async drain(): Promise<void> {
    const api = this.options.api;
    if (!this.server || !api) return;
    this.server.close();
    const until = Date.now() + (this.options.drainSeconds ?? 10) * 1000;
    while (api.inFlight > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async stop(): Promise<void> {
    for (const server of this.servers) {
      server.close();
      server.closeAllConnections();
    }
  }
}
