// The web API's composition: the gRPC services' handlers bridged for REST, Connect and gRPC-Web
// (src/api/http/), with the daemon's credentials, metrics and access log, and the files it serves.
import { status } from "@grpc/grpc-js";
import type { ServiceDefinition } from "@grpc/grpc-js";
import { bridge } from "../api/http/bridge";
import type { HttpCallHooks } from "../api/http/calls";
import { type StaticFile, type WebApi, webApi } from "../api/http/router";
import { loadSchema, serviceOf } from "../api/http/schema";
import openapi from "../api/http/openapi.json";
import { PAGE_CSP, PAGE_FILES } from "../web/page";
import type { Authenticator } from "./auth";
import type { Logger } from "./logger";
import type { createMetrics } from "./metrics";

/** The largest request body the web API reads: gRPC's default receive limit. */
export const WEB_READ_MAX_BYTES = 4 * 1024 * 1024;

export interface WebApiParts {
  /** The services, by full name, each with the definition grpc-js serves and its handlers. */
  services: { typeName: string; definition: ServiceDefinition; handlers: object }[];
  auth: Authenticator;
  metrics: ReturnType<typeof createMetrics>;
  log: Logger;
  corsOrigins: readonly string[];
  /** The page's files, by path (none: the page is off). */
  page: ReadonlyMap<string, StaticFile>;
}

/** The OpenAPI document, generated from the proto's google.api.http routes (bun run gen:openapi). */
const OPENAPI: StaticFile = { type: "application/json", body: JSON.stringify(openapi) };

/** The web page's files (src/web/), each served with the page's Content-Security-Policy. */
export const WEB_PAGE: ReadonlyMap<string, StaticFile> = new Map(
  [...PAGE_FILES].map(([path, file]) => [path, { ...file, headers: { "content-security-policy": PAGE_CSP } }]),
);

export function webApiOf(parts: WebApiParts): WebApi {
  const { auth, metrics, log } = parts;
  const hooks: HttpCallHooks = {
    authenticate: (path, header, peerCommonName) => auth.authenticateHeader(path, header, peerCommonName),
    trackStream: (token, end) => auth.trackStream(token, end),
    started: (call) => metrics.web.started(call),
    finished(call) {
      metrics.web.handled({ ...call, seconds: call.ms / 1000 });
      log.debug("call", {
        method: call.path,
        code: status[call.code] ?? call.code,
        ms: Math.round(call.ms * 100) / 100,
        peer: call.peer,
        principal: call.principal,
        protocol: call.protocol,
        requestId: call.requestId,
      });
    },
    log,
  };
  const schema = loadSchema();
  return webApi({
    schema,
    services: parts.services.map(({ typeName, definition, handlers }) => ({ typeName, methods: bridge(serviceOf(schema, typeName), definition, handlers) })),
    hooks,
    files: new Map([...parts.page, ["/openapi.json", OPENAPI]]),
    corsOrigins: parts.corsOrigins,
    readMaxBytes: WEB_READ_MAX_BYTES,
  });
}
