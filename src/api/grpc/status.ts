// The domain's errors as gRPC status codes: the one place the two meet.
import { status } from "@grpc/grpc-js";
import {
  AlreadyExistsError,
  CancelledError,
  InvalidArgumentError,
  LimitExceededError,
  OutcomeUnknownError,
  OutOfRangeError,
  NotFoundError,
  StorageFullError,
  UnavailableError,
  UnreadableTodoError,
  VersionMismatchError,
} from "../../todos/errors";

export interface StatusError {
  code: status;
  details: string;
}

const CODES: [new (...args: never[]) => Error, status][] = [
  [InvalidArgumentError, status.INVALID_ARGUMENT],
  // gRPC's guidance: OUT_OF_RANGE, not INVALID_ARGUMENT, for reading past the current end (the request
  // becomes valid once the log grows that far), so a client iterating can tell it apart.
  [OutOfRangeError, status.OUT_OF_RANGE],
  [NotFoundError, status.NOT_FOUND],
  [AlreadyExistsError, status.ALREADY_EXISTS],
  [VersionMismatchError, status.FAILED_PRECONDITION],
  [UnavailableError, status.UNAVAILABLE],
  [LimitExceededError, status.RESOURCE_EXHAUSTED],
  // Not UNAVAILABLE: another daemon on the same disk would fail too; the space must be freed first.
  [StorageFullError, status.RESOURCE_EXHAUSTED],
  // Stored data the daemon cannot read: not a bug to hide behind INTERNAL, the message names what to fix.
  [UnreadableTodoError, status.DATA_LOSS],
];

/** The status for an error thrown while serving a call; an error the domain does not know is INTERNAL. */
export function toStatus(error: unknown): StatusError & { internal: boolean } {
  // Not UNAVAILABLE, which tells a client that a retry is safe: the write may have committed.
  if (error instanceof OutcomeUnknownError)
    return { code: error.timedOut ? status.DEADLINE_EXCEEDED : status.UNKNOWN, details: error.message, internal: false };
  if (error instanceof CancelledError)
    return { code: error.deadlineExceeded ? status.DEADLINE_EXCEEDED : status.CANCELLED, details: error.message, internal: false };
  for (const [type, code] of CODES) if (error instanceof type) return { code, details: error.message, internal: false };
  return { code: status.INTERNAL, details: "internal error; the daemon's log has the details", internal: true };
}
