// The web API on the daemon's HTTP port: REST (/v1/…), Connect and gRPC-Web (/todo.v1.…/Method),
// /openapi.json and the web page, behind one CORS policy and the same credentials as gRPC. Its calls
// are counted while they run, so the listener's drain can wait for them.
import type { Registry } from "@bufbuild/protobuf";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BridgedMethod } from "./bridge";
import type { HttpCallHooks } from "./calls";
import { connectHandler } from "./connect";
import { restHandler, restRoutes } from "./rest";

export interface StaticFile {
  type: string;
  body: string | Uint8Array;
  /** Extra response headers (the page's Content-Security-Policy). */
  headers?: Record<string, string>;
}

export interface WebApiOptions {
  /** The schema the services come from (./schema.ts), whose google.api.http options are the REST routes. */
  schema: Registry;
  services: { typeName: string; methods: BridgedMethod[] }[];
  hooks: HttpCallHooks;
  /** Files served as they are, by path: /openapi.json, the page. */
  files: ReadonlyMap<string, StaticFile>;
  /** Origins whose pages may call from a browser ("*": any); none: only same-origin pages. */
  corsOrigins: readonly string[];
  readMaxBytes: number;
}

/** Headers a browser client sends: Connect's, gRPC-Web's, REST's. */
const ALLOWED_HEADERS = [
  "authorization",
  "content-type",
  "if-match",
  "x-request-id",
  "x-server-timeout",
  "connect-protocol-version",
  "connect-timeout-ms",
  "grpc-timeout",
  "x-grpc-web",
  "x-user-agent",
].join(", ");
const EXPOSED_HEADERS = ["etag", "grpc-status", "grpc-message", "grpc-status-details-bin"].join(", ");

export interface WebApi {
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** API requests being answered now. */
  readonly inFlight: number;
}

export function webApi(options: WebApiOptions): WebApi {
  const rest = restHandler({ routes: restRoutes(options.schema, options.services), hooks: options.hooks, readMaxBytes: options.readMaxBytes });
  const notFound = (_request: IncomingMessage, response: ServerResponse) =>
    response
      .writeHead(404, { "content-type": "application/json" })
      .end(JSON.stringify({ code: 5, message: "no such route: see /openapi.json for the REST routes, or call /<package.Service>/<Method> with Connect or gRPC-Web", details: [] }));
  const connect = connectHandler({ services: options.services, hooks: options.hooks, readMaxBytes: options.readMaxBytes }, notFound);
  const anyOrigin = options.corsOrigins.includes("*");
  const origins = new Set(options.corsOrigins);
  let inFlight = 0;

  return {
    get inFlight() {
      return inFlight;
    },
    handle(request, response) {
      try {
        route(request, response);
      } catch (e) {
        options.hooks.log.error("HTTP request failed", { path: request.url }, e);
        if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ code: 13, message: "internal error; the daemon's log has the details", details: [] }));
      }
    },
  };

  function route(request: IncomingMessage, response: ServerResponse): void {
    inFlight++;
    response.once("close", () => inFlight--);
    response.setHeader("x-content-type-options", "nosniff");
    response.setHeader("referrer-policy", "no-referrer");
    const origin = request.headers.origin;
    if (origin !== undefined && (anyOrigin || origins.has(origin))) {
      response.setHeader("access-control-allow-origin", anyOrigin ? "*" : origin);
      response.setHeader("vary", "Origin");
      response.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
      if (request.method === "OPTIONS") {
        response
          .writeHead(204, {
            "access-control-allow-methods": "GET, POST, PATCH, DELETE",
            "access-control-allow-headers": ALLOWED_HEADERS,
            "access-control-max-age": "7200",
          })
          .end();
        return;
      }
    }
    const url = new URL(request.url ?? "/", "http://localhost");
    const file = options.files.get(url.pathname);
    if (file && (request.method === "GET" || request.method === "HEAD")) {
      response.writeHead(200, { "content-type": file.type, "cache-control": "no-cache", ...file.headers }).end(request.method === "HEAD" ? undefined : file.body);
      return;
    }
    if (url.pathname.startsWith("/v1/") && rest(request, response, url)) return;
    connect(request, response);
  }
}
