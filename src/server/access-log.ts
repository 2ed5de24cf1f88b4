// One debug line per call (method, status, duration, peer), for LOG_LEVEL=debug.
import { type ServerInterceptor, ServerInterceptingCall, status } from "@grpc/grpc-js";
import type { Logger } from "./logger";

export function accessLog(log: Logger): ServerInterceptor {
  return (method, call) => {
    const started = performance.now();
    return new ServerInterceptingCall(call, {
      sendStatus(sent, next) {
        log.debug("call", {
          method: method.path,
          code: status[sent.code] ?? sent.code,
          ms: Math.round((performance.now() - started) * 100) / 100,
          peer: call.getPeer(),
        });
        next(sent);
      },
    });
  };
}
