// How the MongoDB store reads the driver's errors: the store error each one means (UnavailableError,
// SearchBudgetError, or the error itself), with the connection string's secrets removed.
import {
  MongoClientClosedError,
  MongoError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from "mongodb";
import { SearchBudgetError, UnavailableError } from "../../todos/errors";
import { redactUrl } from "../../secrets/redact";

/** Server error codes that mean "not serving now" (shutting down, stepping down, interrupted, overloaded). */
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 462]);
export const DUPLICATE_KEY = 11000;
const MAX_TIME_EXPIRED = 50;
const AUTHENTICATION_FAILED = 18;

/** Whether a write failed on a unique index. */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/** MongoDB's per-document failures of an unordered insert, by index in the batch (none: the whole insert failed). */
export function failedAt(error: unknown): Map<number, { code?: number }> | undefined {
  const writeErrors = (error as { writeErrors?: unknown })?.writeErrors;
  if (!writeErrors) return undefined;
  // The driver gives one WriteError alone, not in an array, when there is one (as claims.ts reads it).
  const list = (Array.isArray(writeErrors) ? writeErrors : [writeErrors]) as { index: number; code?: number }[];
  return new Map(list.map((w) => [w.index, w]));
}

/** Rethrows a driver error as the store error it means, with any secret removed (`scrub`). */
export function translateError(error: unknown, server: { url: string; scrub: (text: string) => string; searchTimeoutMS: number }): never {
  // A mongodb+srv host that does not resolve fails in the resolver, before the driver wraps anything.
  const os = (error as NodeJS.ErrnoException)?.code;
  if (!(error instanceof MongoError) && typeof os === "string" && /^E[A-Z]{3,}$/.test(os))
    throw new UnavailableError(`MongoDB at ${redactUrl(server.url)} cannot be reached (${os}: ${server.scrub((error as Error).message)}); check the host in MONGO_URL`);
  if (!(error instanceof MongoError)) throw error;
  const message = server.scrub(error.message);
  const unavailable = (what: string) => new UnavailableError(`MongoDB at ${redactUrl(server.url)} ${what}`);
  if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError) {
    // The OS error (ECONNREFUSED, ENOTFOUND, …) says it all; the driver's sentence around it does not.
    const cause = /\b(E[A-Z]{3,})\b/.exec(message)?.[1] ?? message;
    throw unavailable(`cannot be reached (${cause}); the daemon retries by itself`);
  }
  if (error instanceof MongoServerError) {
    if (error.code === AUTHENTICATION_FAILED) throw unavailable(`refused the credentials in MONGO_URL (${message}); check the user and password`);
    // Only searches set maxTimeMS: the regex runs on the server, and this is its budget.
    if (error.code === MAX_TIME_EXPIRED) throw new SearchBudgetError(server.searchTimeoutMS);
    if (UNAVAILABLE_CODES.has(error.code as number)) throw unavailable(`cannot serve now (${message})`);
  }
  // Transient failures the driver labels (pool cleared, connection closed mid-call), and calls that
  // were in flight on a client the store replaced.
  if (
    error.hasErrorLabel("RetryableWriteError") ||
    error.hasErrorLabel("ResetPool") ||
    error.hasErrorLabel("PoolRequestedRetry") ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoClientClosedError
  )
    throw unavailable(`cannot serve now (${message})`);
  error.message = message;
  throw error;
}
