// gRPC status codes and the error a failed call rejects with, whichever transport carried it (gRPC over
// HTTP/2, or Connect JSON to the local daemon): kept apart from both so neither loads the other.

/** gRPC status codes (grpc/doc/statuscodes.md), for the client, which does not load grpc-js. */
export enum Status {
  OK = 0,
  CANCELLED = 1,
  UNKNOWN = 2,
  INVALID_ARGUMENT = 3,
  DEADLINE_EXCEEDED = 4,
  NOT_FOUND = 5,
  ALREADY_EXISTS = 6,
  PERMISSION_DENIED = 7,
  RESOURCE_EXHAUSTED = 8,
  FAILED_PRECONDITION = 9,
  ABORTED = 10,
  OUT_OF_RANGE = 11,
  UNIMPLEMENTED = 12,
  INTERNAL = 13,
  UNAVAILABLE = 14,
  DATA_LOSS = 15,
  UNAUTHENTICATED = 16,
}

/** The transport code of a call to a peer that accepted the connection but never answered (ChannelOptions.answerWithinMs). */
export const NOT_ANSWERING = "NOT_ANSWERING";

/** A call that ended without OK: the status, the daemon's (or the transport's) words, and the transport's error code. */
export class GrpcError extends Error {
  constructor(
    readonly code: Status,
    readonly details: string,
    /** Set when the call failed below gRPC: ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, ERR_SSL_WRONG_VERSION_NUMBER… */
    readonly transportCode?: string,
  ) {
    super(details);
  }
}

/** Status for an HTTP status that is not 200 and carries no status of its own (gRPC's "HTTP to gRPC status code mapping", which Connect's follows). */
export function httpStatusToGrpc(httpStatus: number): Status {
  switch (httpStatus) {
    case 400:
      return Status.INTERNAL;
    case 401:
      return Status.UNAUTHENTICATED;
    case 403:
      return Status.PERMISSION_DENIED;
    case 404:
      return Status.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return Status.UNAVAILABLE;
    default:
      return Status.UNKNOWN;
  }
}
