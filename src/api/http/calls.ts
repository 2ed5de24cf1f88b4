// What every call over HTTP goes through, whatever its protocol (REST, Connect, gRPC-Web): the
// credential checked before the request is read, the call's context (caller, request id, deadline,
// cancellation), the domain's error as a status, and one record of it for the metrics and the access log.
import { randomUUID } from "node:crypto";
import type { CallContext } from "../../todos/context";
import { CancelledError } from "../../todos/errors";
import { type StatusError, toStatus } from "../grpc/status";

export type Protocol = "rest" | "connect" | "grpc-web";

/** How the daemon authenticates (src/server/auth.ts), as the HTTP transports need it. */
export type Authenticate = (
  path: string,
  authorization: string | undefined,
  peerCommonName: () => string | undefined,
) => { principal: string; token?: Buffer } | { refused: string };

export interface FinishedCall {
  protocol: Protocol;
  /** "/package.Service/Method". */
  path: string;
  streaming: boolean;
  /** The gRPC status code the call ended with. */
  code: number;
  ms: number;
  peer: string;
  principal: string;
  requestId: string;
}

export interface HttpCallHooks {
  authenticate: Authenticate;
  /** Keeps a stream made with a token until it ends; revoking the token calls `end`. Returns the untracking. */
  trackStream(token: Buffer, end: (details: string) => void): () => void;
  /** Metrics: a call begins (before its credential is checked). */
  started(call: { protocol: Protocol; path: string; streaming: boolean }): void;
  /** Metrics and the access log: a call ended. */
  finished(call: FinishedCall): void;
  log: { error(message: string, ...rest: unknown[]): void };
}

/** What the transport knows of a request before it decodes the body. */
export interface RequestFacts {
  protocol: Protocol;
  path: string;
  streaming: boolean;
  authorization: string | undefined;
  requestId: string | undefined;
  peer: string;
  peerCommonName: () => string | undefined;
  /** The caller's deadline in milliseconds from now, if it gave one. */
  timeoutMs: number | undefined;
  /** Aborted when the client goes away (or the protocol's own deadline passes). */
  signal: AbortSignal;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** A call under way: its context, and how it ends. */
export interface HttpCall {
  ctx: CallContext;
  /** The status for an error the handler threw (an unexpected one logged, INTERNAL). */
  fail(error: unknown): StatusError;
  /** Records the call's end with `code`; once. */
  end(code: number): void;
  /** Aborts the call's work: its client went away. */
  cancel(): void;
  /** Why the daemon ended the call (its token was revoked): the status to answer, whatever the handler did. */
  readonly cutOff: StatusError | undefined;
}

/** Begins a call, or answers why the caller is refused (UNAUTHENTICATED). */
export function beginCall(hooks: HttpCallHooks, facts: RequestFacts): HttpCall | { refused: StatusError } {
  const started = performance.now();
  hooks.started({ protocol: facts.protocol, path: facts.path, streaming: facts.streaming });
  const requestId = facts.requestId !== undefined && REQUEST_ID.test(facts.requestId) ? facts.requestId : randomUUID();
  const record = (principal: string, code: number) =>
    hooks.finished({ protocol: facts.protocol, path: facts.path, streaming: facts.streaming, code, ms: performance.now() - started, peer: facts.peer, principal, requestId });
  const who = hooks.authenticate(facts.path, facts.authorization, facts.peerCommonName);
  if ("refused" in who) {
    record("", 16);
    return { refused: { code: 16, details: who.refused } };
  }
  const deadline = facts.timeoutMs === undefined ? undefined : Date.now() + facts.timeoutMs;
  const controller = new AbortController();
  const abort = () => controller.abort(new CancelledError(deadline !== undefined && Date.now() >= deadline - 1));
  if (facts.signal.aborted) abort();
  else facts.signal.addEventListener("abort", abort, { once: true });
  const timer = deadline === undefined ? undefined : setTimeout(abort, Math.max(0, deadline - Date.now()));
  // A stream made with a token ends when the token is revoked.
  let cutOff: StatusError | undefined;
  const untrack =
    facts.streaming && who.token
      ? hooks.trackStream(who.token, (details) => {
          cutOff = { code: 16, details };
          abort();
        })
      : () => {};
  const ctx: CallContext = { principal: who.principal, requestId, deadline, signal: controller.signal };
  let ended = false;
  return {
    ctx,
    get cutOff() {
      return cutOff;
    },
    fail(error) {
      if (cutOff) return cutOff;
      const { code, details, internal } = toStatus(error);
      if (internal) hooks.log.error(`${facts.path.slice(facts.path.lastIndexOf("/") + 1)} failed`, { method: facts.path, requestId, protocol: facts.protocol }, error);
      return { code, details };
    },
    end(code) {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      untrack();
      facts.signal.removeEventListener("abort", abort);
      record(who.principal, code);
    },
    cancel: abort,
  };
}
