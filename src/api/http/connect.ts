// Connect and gRPC-Web, JSON and binary, unary and server streaming, for the bridged services: the
// protocols themselves are @connectrpc/connect-node's (the reference implementation the official
// browser clients are tested against); this file gives each call the daemon's credential check,
// context, status mapping and record (./calls.ts).
import type { Message } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextKey, createContextValues, type HandlerContext } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import type { BridgedMethod } from "./bridge";
import { beginCall, type HttpCall, type HttpCallHooks } from "./calls";

/** The HTTP request behind a call, for what Connect's handler context does not carry (peer, certificate). */
const NODE_REQUEST = createContextKey<IncomingMessage | undefined>(undefined);

/** The peer's verified client-certificate common name, when TLS asked for one and it verified. */
export function peerCommonName(request: IncomingMessage): string | undefined {
  const socket = request.socket as Partial<TLSSocket>;
  if (!socket.encrypted || !socket.authorized || typeof socket.getPeerCertificate !== "function") return undefined;
  const cn = socket.getPeerCertificate()?.subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}

export const peerOf = (request: IncomingMessage) => `${request.socket.remoteAddress ?? ""}:${request.socket.remotePort ?? ""}`;

function start(hooks: HttpCallHooks, method: BridgedMethod, context: HandlerContext): HttpCall {
  const request = context.values.get(NODE_REQUEST);
  const began = beginCall(hooks, {
    protocol: context.protocolName === "connect" ? "connect" : "grpc-web",
    path: method.path,
    streaming: method.method.methodKind === "server_streaming",
    authorization: context.requestHeader.get("authorization") ?? undefined,
    requestId: context.requestHeader.get("x-request-id") ?? undefined,
    peer: request ? peerOf(request) : "",
    peerCommonName: () => (request ? peerCommonName(request) : undefined),
    timeoutMs: context.timeoutMs(),
    signal: context.signal,
  });
  if ("refused" in began) throw new ConnectError(began.refused.details, Code.Unauthenticated);
  return began;
}

/** gRPC's status codes and Connect's are the same numbers. */
const asConnectError = (call: HttpCall, error: unknown) => {
  const { code, details } = call.fail(error);
  call.end(code);
  return new ConnectError(details, code as number as Code);
};

export interface ConnectOptions {
  services: { typeName: string; methods: BridgedMethod[] }[];
  hooks: HttpCallHooks;
  /** The largest request body taken, in bytes. */
  readMaxBytes: number;
}

/** A node:http handler for Connect and gRPC-Web calls; anything else goes to `fallback`. */
export function connectHandler(options: ConnectOptions, fallback: (request: IncomingMessage, response: ServerResponse) => void) {
  const { hooks } = options;
  return connectNodeAdapter({
    // gRPC itself is served by grpc-js on the gRPC port (HTTP/2); this port speaks HTTP/1.1.
    grpc: false,
    readMaxBytes: options.readMaxBytes,
    contextValues: (request) => createContextValues().set(NODE_REQUEST, request as IncomingMessage),
    fallback: fallback as Parameters<typeof connectNodeAdapter>[0]["fallback"],
    routes(router) {
      for (const { typeName, methods } of options.services) {
        const implementation: Record<string, unknown> = {};
        for (const method of methods) {
          implementation[method.method.localName] =
            method.method.methodKind === "server_streaming" ? streaming(hooks, method) : unary(hooks, method);
        }
        const service = methods[0]!.method.parent;
        if (service.typeName !== typeName) throw new Error(`bridged methods of ${service.typeName} given as ${typeName}`);
        router.service(service, implementation as Parameters<typeof router.service>[1]);
      }
    },
  });
}

function unary(hooks: HttpCallHooks, method: BridgedMethod) {
  return async (request: Message, context: HandlerContext) => {
    const call = start(hooks, method, context);
    try {
      const response = await method.unary(request, call.ctx);
      call.end(0);
      return response;
    } catch (error) {
      throw asConnectError(call, error);
    }
  };
}

/**
 * The handler writes into a queue that the response drains: a write resolves once the message is
 * taken, so the handler's own flow control (a watch's unsent limit) sees a slow reader.
 */
function streaming(hooks: HttpCallHooks, method: BridgedMethod) {
  return async function* (request: Message, context: HandlerContext) {
    const call = start(hooks, method, context);
    const queue: { message: Message; taken: () => void }[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    let failure: unknown;
    const run = method
      .streaming(request, call.ctx, {
        write: (message) => new Promise<void>((taken) => (queue.push({ message, taken }), wake?.())),
        get unsent() {
          return queue.length;
        },
      })
      .then(
        () => undefined,
        (error: unknown) => (failure = error ?? new Error("the stream failed")),
      )
      .finally(() => ((finished = true), wake?.()));
    try {
      for (;;) {
        const next = queue.shift();
        if (next) {
          yield next.message;
          next.taken();
          continue;
        }
        if (finished) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      await run;
      if (failure !== undefined || call.cutOff) throw asConnectError(call, failure);
      call.end(0);
    } finally {
      // The client went away (or the stream failed): the handler stops too.
      if (!finished) {
        call.cancel();
        call.end(1);
      }
    }
  };
}
