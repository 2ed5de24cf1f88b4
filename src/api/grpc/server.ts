// The daemon's gRPC server, made in one place: the grpc-js Server with Bun's HTTP/2 defects worked
// around, its interceptors in their one order, and what it keeps per call (the calls in flight, the
// reply budget) in the instance, so nothing of it is shared by the process.
import type { Http2Server } from "node:http2";
import {
  Server,
  type ServerCredentials,
  type ServerInterceptingCall,
  type ServerInterceptingCallInterface,
  type ServerInterceptor,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { type AsyncHandlers, implement, InFlightCalls, type Logger } from "./handlers";
import { decodeStrictly, refuseMalformed } from "./malformed";
import { ReplyBudget } from "./reply-budget";

/**
 * HTTP/2 keepalive: the daemon pings a connection after a minute without frames and closes it when the
 * ping is not answered within 20 s, so a peer that vanished does not hold a connection until the idle
 * timeout. (Bun's http2 answers PING floods itself; grpc-js has no ping policy of its own to set.)
 */
const KEEPALIVE = { "grpc.keepalive_time_ms": 60_000, "grpc.keepalive_timeout_ms": 20_000 };

/**
 * An interceptor's answer for a call it has nothing to do with: the call as it came, not wrapped (each
 * layer costs every call an object and a hop per event). grpc-js types an interceptor's result as its
 * ServerInterceptingCall class, but chains interceptors through the interface alone.
 */
export const unwrapped = (call: ServerInterceptingCallInterface): ServerInterceptingCall => call as ServerInterceptingCall;

/** The daemon's own interceptors (src/server/), which this server puts in their place. */
export interface DaemonInterceptors {
  /** Counts and times every call (metrics.ts). */
  metrics: ServerInterceptor;
  /** Logs every call (access-log.ts). */
  accessLog: ServerInterceptor;
  /** Refuses a call without valid credentials (auth.ts). */
  auth: ServerInterceptor;
  /** Keeps hold of health Watch calls so the drain can end them (health.ts). */
  healthWatch: ServerInterceptor;
}

export interface GrpcServerOptions {
  maxConcurrentStreams: number;
  /** A connection without a call for this long gets a GOAWAY and is closed (measured to work on Bun). */
  idleMs: number;
  interceptors: DaemonInterceptors;
  log: Logger;
}

export class GrpcServer {
  readonly server: Server;
  private readonly calls = new InFlightCalls();
  private readonly replies = new ReplyBudget();

  constructor(private readonly options: GrpcServerOptions) {
    const { metrics, accessLog, auth, healthWatch } = options.interceptors;
    // The interceptors, from the network in. grpc-js wraps each around the ones before it, so the first
    // listed sees a call's headers and messages first and its status last; a status one of them sends
    // passes every one listed before it. Hence:
    // - metrics and the access log first: they count and name every call, those refused after them too;
    // - authentication before the reply budget: a refused caller reserves nothing;
    // - the health Watch holder before the reply budget and the malformed-body check, so the statuses
    //   those send on a Watch reach it; it, in turn, ends a Watch past the metrics and the access log;
    // - the malformed-body check last, next to the handlers: a body no handler can read is refused there.
    const interceptors = [metrics, accessLog, auth, healthWatch, this.replies.interceptor, refuseMalformed];
    this.server = new Server({
      // Bun's http2 overflows its stack (RangeError in sendTrailers) and dies when one connection opens
      // ~20k concurrent streams; advertising a stream limit makes clients queue instead. The stack recurses
      // stream to stream: _final -> native.flush() -> another stream's write callback -> sendStatus -> end.
      // No Bun issue found for it (searched 2026-11); seen here intermittently, not on demand.
      "grpc.max_concurrent_streams": options.maxConcurrentStreams,
      "grpc.max_connection_idle_ms": options.idleMs,
      ...KEEPALIVE,
      interceptors,
    });
    // Before any service is added: every method's body, the standard services' too, is decoded strictly.
    decodeStrictly(this.server);
  }

  /** Serves a service with typed async handlers; its calls are this server's to cut off at the drain. */
  serve<H extends UntypedServiceImplementation>(definition: ServiceDefinition, handlers: AsyncHandlers<H>): void {
    this.server.addService(definition, implement<H>(definition, handlers, this.options.log, this.calls));
  }

  /** Listens on `address`; resolves with the bound port and the HTTP/2 servers that listen there. */
  bind(address: string, credentials: ServerCredentials): Promise<{ port: number; http2Servers: Http2Server[] }> {
    return new Promise((resolve, reject) =>
      this.server.bindAsync(address, credentials, (error, port) => {
        if (error) return reject(error);
        // grpc-js offers no way to set its HTTP/2 servers' settings but the stream limit (grpc/grpc-node#2431),
        // nor a public list of them: they are read from its http2Servers map, and changed only through
        // Node's public Http2Server.updateSettings.
        const http2Servers = [...(this.server["http2Servers"] as Map<Http2Server, unknown>).keys()];
        // Bun's HPACK encoder ignores the peer's SETTINGS_HEADER_TABLE_SIZE=0 (oven-sh/bun#19152, open), so
        // behind nginx grpc_pass — which sends it — every response header block is invalid and nginx answers
        // 502 ("upstream sent invalid http2 table index"). With our own table size at 0 the encoder never
        // indexes. Fix proposed in oven-sh/bun#43345 (open): drop this once a Bun release carries it. Side
        // effect: Bun applies the 0 to its decoder at once, so on a Bun grpc-js client (same encoder defect)
        // calls after a connection's first can fail with COMPRESSION_ERROR; Node, Go and nginx clients are
        // unaffected. Set as the port is bound, before the daemon says it listens.
        for (const http2Server of http2Servers) http2Server.updateSettings({ headerTableSize: 0 });
        resolve({ port, http2Servers });
      }),
    );
  }

  /** Ends every call still being served with UNAVAILABLE and `details`; returns how many there were. */
  cutOffCalls(details: string): number {
    return this.calls.cutOff(details);
  }

  /** Unsent reply bytes (and reservations) this server's connections hold now. */
  heldReplyBytes(): number {
    return this.replies.held;
  }
}
