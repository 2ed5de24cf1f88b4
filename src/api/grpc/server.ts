// grpc-js wiring: the Server with Bun's HTTP/2 defects worked around, and typed async handlers adapted
// to grpc-js's callbacks and streams, each given the call's context, with domain errors turned into
// status codes.
import { randomUUID } from "node:crypto";
import {
  type handleServerStreamingCall,
  type handleUnaryCall,
  type Metadata,
  Server,
  type ServerInterceptor,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  status,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import type { CallContext } from "../../todos/context";
import { CancelledError } from "../../todos/errors";
import { principalOf } from "./principal";
import { refuseMalformedRequests } from "./malformed";
import { boundUnreadReplies, reserveReplies } from "./reply-budget";
import { toStatus } from "./status";

/**
 * HTTP/2 keepalive: the daemon pings a connection after a minute without frames and closes it when the
 * ping is not answered within 20 s, so a peer that vanished does not hold a connection until the idle
 * timeout. (Bun's http2 answers PING floods itself; grpc-js has no ping policy of its own to set.)
 */
const KEEPALIVE = { "grpc.keepalive_time_ms": 60_000, "grpc.keepalive_timeout_ms": 20_000 };

export function createGrpcServer(options: { maxConcurrentStreams: number; idleMs: number; interceptors: ServerInterceptor[] }): Server {
  // Bun's http2 overflows its stack (RangeError in sendTrailers) and dies when one connection opens
  // ~20k concurrent streams; advertising a stream limit makes clients queue instead. The stack recurses
  // stream to stream: _final -> native.flush() -> another stream's write callback -> sendStatus -> end.
  // No Bun issue found for it (searched 2026-11); seen here intermittently, not on demand.
  const interceptors = [...options.interceptors];
  const server = new Server({
    "grpc.max_concurrent_streams": options.maxConcurrentStreams,
    // A connection without a call for this long gets a GOAWAY and is closed (measured to work on Bun).
    "grpc.max_connection_idle_ms": options.idleMs,
    ...KEEPALIVE,
    interceptors,
  });
  // Outermost (grpc-js applies the last interceptor last), so the others see the statuses they answer;
  // after authentication, so a refused caller reserves nothing.
  interceptors.push(reserveReplies, refuseMalformedRequests(server));
  boundUnreadReplies();
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

/** The response side of a server-streaming call. */
export interface ResponseStream<Res> {
  /** Queues a message; resolves once the transport has taken it (flow control can hold it back). */
  write(message: Res): Promise<void>;
  /** Messages queued that the transport has not taken yet: what a slow reader leaves in memory. */
  readonly unsent: number;
}

export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;
export type StreamingHandler<Req, Res> = (request: Req, ctx: CallContext, stream: ResponseStream<Res>) => Promise<void>;

/** The async handler for one generated grpc-js handler type. */
type AsyncHandler<H> =
  H extends (call: ServerUnaryCall<infer Req, infer Res>, callback: any) => void
    ? UnaryHandler<Req, Res>
    : H extends (call: ServerWritableStream<infer Req, infer Res>) => void
      ? StreamingHandler<Req, Res>
      : never;

/**
 * Async handlers for a generated `…Handlers` interface: exactly its methods (the index signature
 * dropped), so a missing or misspelt handler fails the type check instead of answering UNIMPLEMENTED.
 */
export type AsyncHandlers<H extends UntypedServiceImplementation> = {
  [K in keyof H as string extends K ? never : K]: AsyncHandler<H[K]>;
};

/** A gRPC service the daemon serves: its full name (for health), definition and handlers. */
export interface ServedService {
  name: string;
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

type Logger = { error(message: string, ...rest: unknown[]): void };

/**
 * The calls being served, each with a way to end it now. At the drain deadline the listener ends them
 * with UNAVAILABLE before closing the connections: closed under them, a client sees INTERNAL (HTTP/2
 * stream reset), which says "bug" for what is a shutdown.
 */
const inFlight = new Set<(details: string) => void>();

/** Ends every call still being served with UNAVAILABLE and `details`, and aborts its work. */
export function cutOffCalls(details: string): number {
  const calls = [...inFlight];
  for (const cut of calls) cut(details);
  return calls.length;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The context of a call: cancelled when the client goes away or the deadline passes. */
function contextOf(
  call: { metadata: Metadata; getDeadline(): Date | number; on(event: "cancelled", listener: () => void): unknown },
  answer: (error: { code: status; details: string }) => void,
): {
  ctx: CallContext;
  /** False once the call was cut off (answered already): the handler's own outcome is dropped. */
  done(): boolean;
} {
  const controller = new AbortController();
  call.on("cancelled", () => controller.abort(new CancelledError(false)));
  const deadline = Number(call.getDeadline());
  // grpc-js answers DEADLINE_EXCEEDED itself but does not tell the handler: abort its work too.
  const timer = Number.isFinite(deadline) ? setTimeout(() => controller.abort(new CancelledError(true)), Math.max(0, deadline - Date.now())) : undefined;
  const given = call.metadata.get("x-request-id")[0];
  const ctx: CallContext = {
    principal: principalOf(call.metadata),
    requestId: typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID(),
    deadline: Number.isFinite(deadline) ? deadline : undefined,
    signal: controller.signal,
  };
  let open = true;
  const cut = (details: string) => {
    open = false;
    inFlight.delete(cut);
    clearTimeout(timer);
    controller.abort(new CancelledError(false));
    answer({ code: status.UNAVAILABLE, details });
  };
  inFlight.add(cut);
  return {
    ctx,
    done: () => {
      clearTimeout(timer);
      inFlight.delete(cut);
      return open;
    },
  };
}

function failure(name: string, log: Logger, ctx: CallContext, error: unknown) {
  const { code, details, internal } = toStatus(error);
  if (internal) log.error(`${name} failed`, { method: name, requestId: ctx.requestId }, error);
  return { code, details };
}

/** Adapts typed async handlers to grpc-js; an unexpected error is logged and reported as INTERNAL. */
export function implement<H extends UntypedServiceImplementation>(
  definition: ServiceDefinition,
  handlers: AsyncHandlers<H>,
  log: Logger,
): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    const handler = (handlers as Record<string, Function>)[name];
    if (!handler) throw new Error(`no handler for ${method.path}`);
    if (!method.requestStream && !method.responseStream) {
      const unary: handleUnaryCall<unknown, unknown> = (call, callback) => {
        const { ctx, done } = contextOf(call, (error) => callback(error));
        (handler as UnaryHandler<unknown, unknown>)(call.request, ctx).then(
          (response) => {
            if (done()) callback(null, response);
          },
          (error) => {
            if (done()) callback(failure(name, log, ctx, error));
          },
        );
      };
      implementation[name] = unary;
    } else if (!method.requestStream) {
      const streaming: handleServerStreamingCall<unknown, unknown> = (call) => {
        const { ctx, done } = contextOf(call, (error) => call.emit("error", error));
        let unsent = 0;
        const stream: ResponseStream<unknown> = {
          write: (message) =>
            new Promise((resolve) => {
              unsent++;
              call.write(message, () => {
                unsent--;
                resolve();
              });
            }),
          get unsent() {
            return unsent;
          },
        };
        (handler as StreamingHandler<unknown, unknown>)(call.request, ctx, stream).then(
          () => {
            if (done()) call.end();
          },
          (error) => {
            if (done() && !call.cancelled) call.emit("error", failure(name, log, ctx, error));
          },
        );
      };
      implementation[name] = streaming;
    } else {
      throw new Error(`${method.path}: client-streaming methods are not supported`);
    }
  }
  return implementation;
}
