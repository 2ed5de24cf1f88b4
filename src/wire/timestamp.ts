// google.protobuf.Timestamp to and from the domain's milliseconds since the epoch.
import type { Timestamp__Output } from "../proto/gen/types/google/protobuf/Timestamp";
import { InvalidArgumentError } from "../todos/errors";

const MIN_SECONDS = -62_135_596_800; // 0001-01-01T00:00:00Z
const MAX_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59Z

/** Always both fields set, as a decoded message has them, so it serves as input and as output alike. */
export function toTimestamp(ms: number): Timestamp__Output {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** Milliseconds since the epoch (sub-millisecond precision is dropped), or INVALID_ARGUMENT outside the Timestamp's range. */
export function fromTimestamp(field: string, ts: Timestamp__Output): number {
  const seconds = Number(ts.seconds);
  if (!Number.isSafeInteger(seconds) || seconds < MIN_SECONDS || seconds > MAX_SECONDS)
    throw new InvalidArgumentError(field, "must be between 0001-01-01 and 9999-12-31");
  if (!Number.isInteger(ts.nanos) || ts.nanos < 0 || ts.nanos > 999_999_999)
    throw new InvalidArgumentError(field, "nanos must be between 0 and 999,999,999");
  return seconds * 1000 + Math.floor(ts.nanos / 1_000_000);
}
