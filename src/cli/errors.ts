import { ExitCode } from "../config/error";
import type { Status } from "./grpc-status";

/**
 * What went wrong, for a command to act on (the message is for a person, and never parsed):
 * - `input`: the person's input was the mistake: a flag, an argument, or a request the daemon refused
 *   as INVALID_ARGUMENT or OUT_OF_RANGE;
 * - `not-connected`: no connection was made (refused, no such host), or its peer never answered it (a
 *   stopped daemon): no call reached the daemon;
 * - `connection`: the connection failed or broke (reset, TLS): a call may have reached the daemon;
 * - `unavailable`: the daemon answered that it cannot serve right now;
 * - `unauthenticated`, `deadline`: the daemon refused the token, or did not answer in time;
 * - `answer`: the daemon refused the call for what the todos are (NOT_FOUND, ALREADY_EXISTS, …);
 * - `failed`: anything else.
 */
export type ErrorKind = "input" | "not-connected" | "connection" | "unavailable" | "unauthenticated" | "deadline" | "answer" | "failed";

/** An error for a person: its message is the one line `todo` prints; its kind and code are what commands act on. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind = "failed",
    /** The gRPC status of the call that failed, when a call did (import skips ALREADY_EXISTS). */
    readonly code?: Status,
  ) {
    super(message);
  }

  get exitCode(): ExitCode {
    return this.kind === "input" ? ExitCode.BAD_INPUT : ExitCode.FAILED;
  }
}
