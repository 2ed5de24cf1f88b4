/** An error for a person: its message is the one line `todo` prints. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** The gRPC status code, when the error is a call's failure. */
    readonly grpcCode?: number,
  ) {
    super(message);
  }
}
