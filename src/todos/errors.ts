// The domain's errors and the gRPC status each one is, so every transport reports them alike.
import { status } from "@grpc/grpc-js";
import { AlreadyExistsError, NotFoundError, StoreUnavailableError, VersionMismatchError } from "../store/store";
// InvalidArgumentError lives apart so the client (json.ts) can throw it without loading the store's errors.
import { InvalidArgumentError } from "./invalid-argument";

export interface StatusError {
  code: status;
  details: string;
}

/** The status for an error thrown while serving a call; unknown errors are INTERNAL. */
export function toStatus(error: unknown): StatusError & { internal: boolean } {
  const known = (code: status, e: Error) => ({ code, details: e.message, internal: false });
  if (error instanceof InvalidArgumentError) return known(status.INVALID_ARGUMENT, error);
  if (error instanceof NotFoundError) return known(status.NOT_FOUND, error);
  if (error instanceof AlreadyExistsError) return known(status.ALREADY_EXISTS, error);
  if (error instanceof VersionMismatchError) return known(status.FAILED_PRECONDITION, error);
  if (error instanceof StoreUnavailableError) return known(status.UNAVAILABLE, error);
  return { code: status.INTERNAL, details: "internal error; the daemon's log has the details", internal: true };
}
