/** An error for a person: its message is the one line `todo` prints. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** The gRPC status code of the call that failed, when a call did: what a command may act on (import skips ALREADY_EXISTS). */
    readonly grpcStatus?: number,
  ) {
    super(message);
  }
}
