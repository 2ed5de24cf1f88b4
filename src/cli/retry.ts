// Creates that a client may retry without doubling a todo. The client chooses the id, so every attempt
// is the same create: once one commits, the others answer ALREADY_EXISTS, and reading the todo tells
// whether it is this create's. Independent of the gRPC library: it sees status codes (numbers, as every
// transport reports them) and functions that call the daemon once.
import { newId } from "../todos/id";
import { Status } from "./grpc-status";

/**
 * Worth another attempt: UNAVAILABLE, DEADLINE_EXCEEDED and UNKNOWN. UNAVAILABLE is not always "nothing
 * was written": the transport reports it too for a call whose connection closed before the answer came
 * (grpc-http2.ts; grpc-go says "transport is closing"), and such a create may have committed (issue 18
 * item 13: all 16 creates ghz reported so, as it closed its connections mid-call, were stored).
 * DEADLINE_EXCEEDED and UNKNOWN say the write may have happened. Either way an attempt with the same id
 * finds it (createOnce).
 */
const RETRIED = new Set<number>([Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED, Status.UNKNOWN]);

const FIRST_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 1000;

export interface RetryOptions {
  /** When to stop trying (milliseconds since the epoch): the command's --timeout from its start. */
  deadline: number;
  /** The status code of a failed attempt, or undefined for an error that is not a call's. */
  codeOf: (error: unknown) => number | undefined;
  /**
   * True when an error means no attempt reached the daemon (it is not running): the first attempt then
   * fails at once, for a person to start it, instead of waiting out the timeout.
   */
  neverConnected?: (error: unknown) => boolean;
}

/** The fields that make a create the same create. */
export interface CreatedFields {
  title: string;
  description: string;
  tags: string[];
  state: string;
  /** Seconds, or null. */
  reminderSeconds: number | null;
}

export interface IdempotentCreate<T> {
  /** Creates the todo with this id once; rejects with the call's error. */
  create(id: string, deadline: number): Promise<T>;
  /** Reads the todo with this id. */
  get(id: string, deadline: number): Promise<T>;
  /** The fields of a todo `create` or `get` returned, to compare with what was sent. */
  fieldsOf(todo: T): CreatedFields;
  /** What was sent. */
  sent: CreatedFields;
}

/** Calls `attempt` until it succeeds, fails with a code not worth retrying, or the deadline passes. */
export async function withRetries<T>(attempt: (deadline: number, retry: number) => Promise<T>, options: RetryOptions): Promise<T> {
  let backoff = FIRST_BACKOFF_MS;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(options.deadline, retry);
    } catch (e) {
      const code = options.codeOf(e);
      if (code === undefined || !RETRIED.has(code)) throw e;
      if (retry === 0 && options.neverConnected?.(e)) throw e;
      // Jitter spreads the retries of many clients that failed together (a daemon restart).
      const wait = backoff / 2 + Math.random() * (backoff / 2);
      if (Date.now() + wait >= options.deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, wait));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }
}

const sameFields = (a: CreatedFields, b: CreatedFields) =>
  a.title === b.title &&
  a.description === b.description &&
  a.state === b.state &&
  a.reminderSeconds === b.reminderSeconds &&
  a.tags.length === b.tags.length &&
  a.tags.every((tag, i) => tag === b.tags[i]);

/**
 * Creates a todo with `id` (else a new client-chosen one), retrying as `withRetries` does. After an
 * attempt whose outcome is unknown, ALREADY_EXISTS for the id is this create's own first attempt when
 * the stored todo has the fields sent: the todo is returned as created. A todo with other fields under
 * that id is someone else's, and the ALREADY_EXISTS stands.
 */
export async function createOnce<T>(request: IdempotentCreate<T>, options: RetryOptions & { id?: string }): Promise<T> {
  const id = options.id || newId();
  return withRetries(async (deadline, retry) => {
    try {
      return await request.create(id, deadline);
    } catch (e) {
      if (retry === 0 || options.codeOf(e) !== Status.ALREADY_EXISTS) throw e;
      const stored = await request.get(id, deadline);
      if (sameFields(request.fieldsOf(stored), request.sent)) return stored;
      throw e;
    }
  }, options);
}
