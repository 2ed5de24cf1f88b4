// Typed async handlers adapted to grpc-js's callbacks and streams, each given the call's context, with
// domain errors turned into status codes; the calls in flight, so a drain can end them.
import { randomUUID } from "node:crypto";
import {
  type handleServerStreamingCall,
  type handleUnaryCall,
  type Metadata,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  status,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import type { CallContext } from "../../todos/context";
import { CancelledError } from "../../todos/errors";
import { principalOf } from "./principal";
import { toStatus } from "./status";

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
  H extends (call: ServerUnaryCall<infer Req, infer Res>, callback: never) => void
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

export type Logger = { error(message: string, ...rest: unknown[]): void };

/**
 * The calls one server is serving, each with a way to end it now. At the drain deadline the listener
 * ends them with UNAVAILABLE before closing the connections: closed under them, a client sees INTERNAL
 * (HTTP/2 stream reset), which says "bug" for what is a shutdown.
 */
export class InFlightCalls {
  private readonly cuts = new Set<(details: string) => void>();

  add(cut: (details: string) => void): void {
    this.cuts.add(cut);
  }

  delete(cut: (details: string) => void): void {
    this.cuts.delete(cut);
  }

  /** Ends every call still being served with UNAVAILABLE and `details`, and aborts its work. */
  cutOff(details: string): number {
    const calls = [...this.cuts];
    for (const cut of calls) cut(details);
    return calls.length;
  }
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The context of a call: cancelled when the client goes away or the deadline passes. */
function contextOf(
  inFlight: InFlightCalls,
  call: { metadata: Metadata; getDeadline(): Date | number; on(event: "cancelled", listener: () => void): unknown },
  answer: (error: { code: status; details: string }) => void,
): {
  ctx: CallContext;
  /** False once the call was cut off (answered already): the handler's own outcome is dropped. */
  done(): boolean;
} {
  const controller = new AbortController();
  let finished = false;
  // grpc-js reports "cancelled" when the stream closes, on Bun also after a call it answered: that one is
  // no cancellation (and its error, with a stack trace, and the abort cost every call).
  call.on("cancelled", () => finished || controller.abort(new CancelledError(false)));
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
      finished = true;
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

/**
 * Adapts typed async handlers to grpc-js; an unexpected error is logged and reported as INTERNAL. Each
 * call is in `inFlight` while it is served (the server's own, for its drain: src/api/grpc/server.ts).
 */
export function implement<H extends UntypedServiceImplementation>(
  definition: ServiceDefinition,
  handlers: AsyncHandlers<H>,
  log: Logger,
  inFlight: InFlightCalls = new InFlightCalls(),
): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    const handler = (handlers as Record<string, Function>)[name];
    if (!handler) throw new Error(`no handler for ${method.path}`);
    if (!method.requestStream && !method.responseStream) {
      const unary: handleUnaryCall<unknown, unknown> = (call, callback) => {
        const { ctx, done } = contextOf(inFlight, call, (error) => callback(error));
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
        const { ctx, done } = contextOf(inFlight, call, (error) => call.emit("error", error));
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
