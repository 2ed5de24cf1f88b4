// The domain's errors. Transports map them to their own status codes (src/api/grpc/status.ts); the
// domain knows nothing of gRPC. Messages are one line a person can act on.

/** Bad input: names the field (the domain's name; a transport renames it to the request's) and what is wrong. */
export class InvalidArgumentError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${field}: ${reason}`, options);
  }
}

export class NotFoundError extends Error {
  constructor(readonly id: string) {
    super(`no todo with id ${id}`);
  }
}

export class AlreadyExistsError extends Error {
  constructor(readonly id: string) {
    super(`a todo with id ${id} already exists`);
  }
}

/** A write named a version (an etag) the todo no longer has. */
export class VersionMismatchError extends Error {
  constructor(readonly id: string) {
    super(`todo ${id} changed since it was read (etag mismatch): read it again and retry`);
  }
}

/** The store cannot be reached or cannot serve right now, and nothing was written: the call may be retried. */
export class UnavailableError extends Error {}

/**
 * A write was sent to the store but its outcome is unknown: it timed out, or the connection was lost,
 * after the store may have applied it. A retry must find its first attempt (a create with the same
 * client-chosen id answers ALREADY_EXISTS if the first attempt committed).
 */
export class OutcomeUnknownError extends Error {
  constructor(
    readonly timedOut: boolean,
    cause: string,
  ) {
    super(`${cause}; the write may or may not have happened: read the todo before writing it again (a create retried with the same id is safe)`);
  }
}

/** The caller went away or its deadline passed; the work was abandoned. */
export class CancelledError extends Error {
  constructor(readonly deadlineExceeded: boolean) {
    super(deadlineExceeded ? "the call's deadline passed" : "the call was cancelled");
  }
}

/** A call went past a limit the daemon keeps so no caller can hold unbounded resources; the message names it. */
export class LimitExceededError extends Error {}

/**
 * The store's disk is full: the write surely did not happen, and none can until space is freed there.
 * The message names the disk. Reads still work.
 */
export class StorageFullError extends Error {}

/** A search spent its budget (the time one search may take on the store) before filling its page. */
export class SearchBudgetError extends LimitExceededError {
  /** `hint`: what makes a search cheaper on this store, in parentheses after "narrow the pattern". */
  constructor(
    readonly budgetMs: number,
    hint?: string,
  ) {
    super(`the search used its budget of ${budgetMs / 1000} s before filling the page; narrow the pattern${hint ? ` (${hint})` : ""} or add filters (tags, states, reminder range)`);
  }
}

/**
 * A stored todo this daemon cannot read: a document of another shape (hand-edited, or written by other
 * software) in its collection. Names the todo and the field, so an operator can correct the data.
 */
export class UnreadableTodoError extends Error {
  constructor(
    readonly id: string,
    readonly field: string,
    reason: string,
  ) {
    super(`todo ${id} is stored in a shape this daemon cannot read: ${field} ${reason}; correct or delete the stored document`);
  }
}

/**
 * Input that names a place past what exists now (a log position beyond the head): unlike an
 * InvalidArgumentError, the same request may be valid later. Names the field, what is wrong, and the limit.
 */
export class OutOfRangeError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
