// What every use case is told about the call it serves, whatever the transport.
import { randomUUID } from "node:crypto";
import { CancelledError } from "./errors";

export interface CallContext {
  /** Who is calling: a token's name once authentication is on; empty until then. */
  principal: string;
  /** Correlates a call's log lines (the client's x-request-id, else a new UUID). */
  requestId: string;
  /** Milliseconds since the epoch after which the caller no longer waits; undefined: no deadline. */
  deadline?: number;
  /** Aborted when the caller goes away or the deadline passes: long work stops there. */
  signal: AbortSignal;
}

/** A context for work no remote caller started (the daemon's own jobs, tests, admin commands). */
export function internalContext(principal = ""): CallContext {
  return { principal, requestId: randomUUID(), signal: new AbortController().signal };
}

/** Throws CancelledError when the call is over; long loops call this between steps. */
export function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof CancelledError ? signal.reason : new CancelledError(false);
}
