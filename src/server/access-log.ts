// One debug line per call (method, status, duration, peer, caller), for LOG_LEVEL=debug.
import { type Metadata, type ServerInterceptor, ServerInterceptingCall, status } from "@grpc/grpc-js";
import { principalOf } from "../api/grpc/principal";
import type { Logger } from "./logger";
import { unwrapped } from "../api/grpc/server";

/** consola's level of debug lines: below it, the access log writes nothing. */
const DEBUG = 4;

export function accessLog(log: Logger): ServerInterceptor {
  return (method, call) => {
    // Below debug there is nothing to log: the call is not wrapped (a layer costs every call).
    if (log.level < DEBUG) return unwrapped(call);
    const started = performance.now();
    let metadata: Metadata | undefined;
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(received, forward) {
            metadata = received;
            forward(received);
          },
        });
      },
      sendStatus(sent, next) {
        log.debug("call", {
          method: method.path,
          code: status[sent.code] ?? sent.code,
          ms: Math.round((performance.now() - started) * 100) / 100,
          peer: call.getPeer(),
          // Named by authentication (which runs after this interceptor has seen the metadata); "" without it.
          principal: metadata ? principalOf(metadata) : "",
        });
        next(sent);
      },
    });
  };
}
