// Times as people write them, in local time (TZ): tomorrow 9:00, +2h, monday, 2026-12-01, a local
// date-time, RFC 3339, unix seconds. A small grammar of our own rather than a natural-language parser:
// chrono-node (measured: +23 ms when it parses, +0.6 ms on every start) reads "2026-12-01" as noon,
// "tomorrow" as this time tomorrow, and "buy milk tomorrow" as a time, and takes 01/12 for January 12;
// every form here means one thing, and anything else is refused with the forms that work.
import type { Timestamp } from "../proto/gen/types/google/protobuf/Timestamp";
import { rfc3339ToTimestamp } from "../wire/json";
import { CliError } from "./errors";

/** Weekday names and their three-letter forms, as Date.getDay() numbers them. */
const WEEKDAYS = new Map(
  ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].flatMap((name, i) => [
    [name, i],
    [name.slice(0, 3), i],
  ]),
);
/** Units of exact length in milliseconds; days and weeks follow the calendar instead. */
const EXACT_UNITS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000 };
const CALENDAR_DAYS: Record<string, number> = { d: 1, w: 7 };

/** Above this, a number is milliseconds, not seconds (10^11 seconds is the year 5138). */
const SECONDS_LIMIT = 1e11;

class NotATime extends Error {}

/** Local midnight of the day `days` after the day of `from`. */
function dayStart(from: Date, days: number): Date {
  return new Date(from.getFullYear(), from.getMonth(), from.getDate() + days);
}

/** The date at a local clock time; refused when the date or time does not exist (Feb 30, a skipped DST hour). */
function at(text: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): Date {
  const date = new Date(year, month - 1, day, hour, minute, second, ms);
  date.setFullYear(year); // two-digit years would otherwise mean 19xx
  const same = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day && date.getHours() === hour && date.getMinutes() === minute;
  if (!same || second > 59) throw new NotATime(`"${text}" is not a date and time that exists here (TZ ${Intl.DateTimeFormat().resolvedOptions().timeZone})`);
  return date;
}

/** "9:00", "09:30:15", "9am", "9:30pm" as [hour, minute, second]. */
function clock(text: string): [number, number, number] | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm)?$/.exec(text);
  if (!m || (m[2] === undefined && m[4] === undefined)) return undefined;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const second = Number(m[3] ?? 0);
  if (m[4]) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (m[4] === "pm" ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return [hour, minute, second];
}

/** Milliseconds since the epoch for `text` read at `now`, or undefined when it is none of the forms. */
function readTime(text: string, now: Date): number | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, " ");
  if (t === "now") return now.getTime();
  // +2h, -30m, +3d, +1w: minutes and hours exactly; days and weeks on the calendar (same clock time across DST).
  const offset = /^([+-])(\d+)\s*(min|m|h|d|w)$/.exec(t);
  if (offset) {
    const n = Number(offset[2]) * (offset[1] === "-" ? -1 : 1);
    const unit = offset[3]!;
    if (unit in EXACT_UNITS) return now.getTime() + n * EXACT_UNITS[unit]!;
    const d = new Date(now);
    d.setDate(d.getDate() + n * CALENDAR_DAYS[unit]!);
    return d.getTime();
  }
  // A day word or weekday, optionally with a time: tomorrow, tomorrow 9:00, monday at 5pm.
  const day = /^(today|tomorrow|yesterday|[a-z]{3,9})(?: (?:at )?(.+))?$/.exec(t);
  if (day) {
    const word = day[1]!;
    const weekday = WEEKDAYS.get(word);
    // A weekday is the next one after today: monday on a Monday is in a week.
    const days = word === "today" ? 0 : word === "tomorrow" ? 1 : word === "yesterday" ? -1 : weekday !== undefined ? ((weekday - now.getDay() + 6) % 7) + 1 : undefined;
    if (days !== undefined) {
      const start = dayStart(now, days);
      if (day[2] === undefined) return start.getTime();
      const c = clock(day[2]);
      if (!c) return undefined;
      return at(text, start.getFullYear(), start.getMonth() + 1, start.getDate(), ...c).getTime();
    }
  }
  // A clock time alone: its next occurrence (today, or tomorrow once it has passed).
  const c = clock(t);
  if (c) {
    const today = at(text, now.getFullYear(), now.getMonth() + 1, now.getDate(), ...c);
    if (today.getTime() > now.getTime()) return today.getTime();
    const tomorrow = dayStart(now, 1);
    return at(text, tomorrow.getFullYear(), tomorrow.getMonth() + 1, tomorrow.getDate(), ...c).getTime();
  }
  // A local date (midnight) or date-time without an offset: 2026-12-01, 2026-12-01 09:30, 2026-12-01T09:30:15.250.
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/.exec(t);
  if (local) {
    const [, y, mo, d, h, mi, s, frac] = local;
    return at(text, Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), Number((frac ?? "").padEnd(3, "0"))).getTime();
  }
  return undefined;
}

const FORMS = "tomorrow 9:00, +2h, +3d, monday, 17:30, 2026-12-01, 2026-12-01 09:00, RFC 3339 (2026-12-01T09:00:00Z) or unix seconds";

/** A time as a person writes it, for the flag `flag`; mistakes are CliErrors (exit 2) listing the forms that work. */
export function parseTime(flag: string, text: string, now = new Date()): Timestamp {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) {
    const n = Number(trimmed);
    if (Math.abs(n) >= SECONDS_LIMIT)
      throw new CliError(`${flag}: ${trimmed} looks like milliseconds since the epoch; give seconds (${Math.trunc(n / 1000)}) or a date`, "input");
    return { seconds: trimmed, nanos: 0 };
  }
  if (/[zZ]$|[+-]\d{2}:\d{2}$/.test(trimmed) && /^\d{4}-/.test(trimmed)) {
    try {
      return rfc3339ToTimestamp(flag, trimmed);
    } catch {
      throw new CliError(`${flag}: "${text}" is not an RFC 3339 time such as 2026-12-01T09:00:00Z`, "input");
    }
  }
  let ms: number | undefined;
  try {
    ms = readTime(trimmed, now);
  } catch (e) {
    if (e instanceof NotATime) throw new CliError(`${flag}: ${e.message}`, "input");
    throw e;
  }
  if (ms === undefined || Number.isNaN(ms)) throw new CliError(`${flag}: "${text}" is not a time; write e.g. ${FORMS}`, "input");
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}
