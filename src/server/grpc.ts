// grpc-js wiring: the Server with Bun's HTTP/2 defects worked around, and async handlers adapted to
// grpc-js callbacks with domain errors turned into status codes.
import { type handleUnaryCall, Server, type ServerInterceptor, type ServiceDefinition, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { toStatus } from "../todos/errors";
import type { Logger } from "./logger";

export function createGrpcServer(options: { maxConcurrentStreams: number; interceptors: ServerInterceptor[] }): Server {
  // Bun's http2 overflows its stack (RangeError in sendTrailers) and dies when one connection opens
  // ~20k concurrent streams; advertising a stream limit makes clients queue instead. The stack recurses
  // stream to stream: _final -> native.flush() -> another stream's write callback -> sendStatus -> end.
  // No Bun issue found for it (searched 2026-11); seen here intermittently, not on demand.
  const server = new Server({ "grpc.max_concurrent_streams": options.maxConcurrentStreams, interceptors: options.interceptors });
  // Bun's HPACK encoder ignores the peer's SETTINGS_HEADER_TABLE_SIZE=0 (oven-sh/bun#19152, open), so
  // behind nginx grpc_pass — which sends it — every response header block is invalid and nginx answers
  // 502 ("upstream sent invalid http2 table index"). With our own table size at 0 the encoder never
  // indexes. grpc-js creates its http2 server from commonServerOptions, which has no public setter.
  // Fix proposed in oven-sh/bun#43345 (open): drop this once a Bun release carries it. Side effect: Bun
  // applies the 0 to its decoder at once, so on a Bun grpc-js client (same encoder defect) calls after
  // a connection's first can fail with COMPRESSION_ERROR; Node, Go and nginx clients are unaffected.
  const common = server["commonServerOptions"];
  common.settings = { ...common.settings, headerTableSize: 0 };
  return server;
}

type AsyncUnary = (request: any) => Promise<any>;

/** Adapts async handlers to grpc-js; an unexpected error is logged and reported as INTERNAL. */
export function unaryHandlers(handlers: Record<string, AsyncUnary>, log: Logger): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(handlers)) {
    const call: handleUnaryCall<any, any> = (call, callback) => {
      handler(call.request).then(
        (response) => callback(null, response),
        (error) => {
          const { code, details, internal } = toStatus(error);
          if (internal) log.error(`${name} failed`, { method: name }, error);
          callback({ code, details });
        },
      );
    };
    implementation[name] = call;
  }
  return implementation;
}

/** A gRPC service the daemon serves: its full name (for health), definition and handlers. */
export interface ServedService {
  name: string;
  definition: ServiceDefinition;
  handlers: Record<string, AsyncUnary>;
}
