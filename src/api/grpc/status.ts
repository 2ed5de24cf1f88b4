// The domain's errors as gRPC status codes: the one place the two meet.
import { status } from "@grpc/grpc-js";
import {
  AlreadyExistsError,
  CancelledError,
  InvalidArgumentError,
  LimitExceededError,
  NotFoundError,
  UnavailableError,
  VersionMismatchError,
} from "../../todos/errors";

export interface StatusError {
  code: status;
  details: string;
}

const CODES: [new (...args: any[]) => Error, status][] = [
  [InvalidArgumentError, status.INVALID_ARGUMENT],
  [NotFoundError, status.NOT_FOUND],
  [AlreadyExistsError, status.ALREADY_EXISTS],
  [VersionMismatchError, status.FAILED_PRECONDITION],
  [UnavailableError, status.UNAVAILABLE],
  [LimitExceededError, status.RESOURCE_EXHAUSTED],
];

/** The status for an error thrown while serving a call; an error the domain does not know is INTERNAL. */
export function toStatus(error: unknown): StatusError & { internal: boolean } {
  if (error instanceof CancelledError)
    return { code: error.deadlineExceeded ? status.DEADLINE_EXCEEDED : status.CANCELLED, details: error.message, internal: false };
  for (const [type, code] of CODES) if (error instanceof type) return { code, details: error.message, internal: false };
  return { code: status.INTERNAL, details: "internal error; the daemon's log has the details", internal: true };
}
