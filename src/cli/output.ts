// What the client prints: a record or a table for people, proto3 JSON for scripts. Text from the store
// is made inert before it reaches a terminal (anyone who can write a todo could otherwise retitle or
// recolour the terminal of everyone who lists it); JSON stays exact.
import type { Timestamp } from "../proto/gen/types/google/protobuf/Timestamp";
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import { todoToJson } from "../wire/json";
import { colorEnabled, type Paint, painter, type Style, terminalWidth } from "./terminal";
import { inert, inertJson, wrap } from "./text";

/** How human output is shaped: colour or not, a width to fit (none: nothing is cut), and the time "now" is. */
export interface Look {
  paint: Paint;
  width?: number;
  now: number;
  /** The id to show for each todo (its shortest unique prefix on a terminal); absent: the whole id. */
  shownIds?: ReadonlyMap<string, string>;
}

/** The look for stdout as it is: a terminal's width and colour (per --color), or a pipe's uncut, uncoloured text. */
export function lookFor(color: string | undefined, shownIds?: ReadonlyMap<string, string>): Look {
  return { paint: painter(colorEnabled(color)), width: terminalWidth(), now: Date.now(), shownIds };
}

export const stateName = (state: string) => (state.startsWith("STATE_") ? state.slice(6) : state);
export const STATE_STYLE: Record<string, Style | undefined> = { STATE_IN_PROGRESS: "yellow", STATE_DONE: "green" };

export const toMillis = (ts: Timestamp) => Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1_000_000);

const pad2 = (n: number) => String(n).padStart(2, "0");

function localParts(ms: number) {
  const d = new Date(ms);
  const year = d.getFullYear();
  return {
    date: `${year < 0 ? "-" : ""}${String(Math.abs(year)).padStart(4, "0")}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`,
    time: `${pad2(d.getHours())}:${pad2(d.getMinutes())}`,
    seconds: pad2(d.getSeconds()),
    millis: d.getMilliseconds(),
    /** Minutes east of UTC. */
    offset: -d.getTimezoneOffset(),
  };
}

/** RFC 3339 in local time (TZ) with its offset, Z in UTC; milliseconds only when there are some. */
export function localRfc3339(ms: number): string {
  const p = localParts(ms);
  const abs = Math.abs(p.offset);
  const zone = p.offset === 0 ? "Z" : `${p.offset > 0 ? "+" : "-"}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  return `${p.date}T${p.time}:${p.seconds}${p.millis ? `.${String(p.millis).padStart(3, "0")}` : ""}${zone}`;
}

/** Local date and minute, as a person reads a reminder: 2026-11-27 09:00. */
function localShort(ms: number): string {
  const p = localParts(ms);
  return `${p.date} ${p.time}`;
}

/**
 * A time as human output shows it, one format for each: on a terminal the local date and minute
 * (2026-11-27 09:00, in TZ), piped RFC 3339 with the local offset.
 */
export const shownTime = (ms: number, look: Look) => (look.width === undefined ? localRfc3339(ms) : localShort(ms));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How far `ms` is from now, as a list on a terminal shows a due time: "in 2d", "3h ago", "now"; past 8 weeks the local date. */
export function relativeTime(ms: number, now: number): string {
  const ahead = ms - now;
  const gap = Math.abs(ahead);
  if (gap < MINUTE) return "now";
  // Rounded, so a reminder set for +2d reads "in 2d" a moment later, not "in 47h".
  const span =
    gap < HOUR - MINUTE / 2 ? `${Math.round(gap / MINUTE)}m` : gap < DAY - HOUR / 2 ? `${Math.round(gap / HOUR)}h` : gap < 14 * DAY ? `${Math.round(gap / DAY)}d` : gap < 56 * DAY ? `${Math.round(gap / (7 * DAY))}w` : undefined;
  if (span === undefined) return localParts(ms).date;
  return ahead > 0 ? `in ${span}` : `${span} ago`;
}

export const isOverdue = (todo: Todo__Output, now: number) => todo.reminder !== null && todo.state !== "STATE_DONE" && toMillis(todo.reminder) < now;

/** A todo's short number as shown; "-" from a daemon that gives none. */
export const shortNumber = (todo: Todo__Output) => (todo.number && todo.number !== "0" ? todo.number : "-");

export function printJson(todo: Todo__Output) {
  console.log(inertJson(todoToJson(todo)));
}

/** Todos as JSON Lines, as printJson prints each: one line each, every line ended. */
export const jsonLines = (todos: readonly Todo__Output[]) => todos.map((todo) => `${inertJson(todoToJson(todo))}\n`).join("");

/** A description under its label: its own lines kept, and on a terminal each wrapped at word boundaries to the room beside the label. */
function described(text: string, look: Look, indent: number): string {
  const shown = inert(text, { keepNewlines: true });
  const lines = look.width === undefined || look.width - indent < 20 ? shown.split("\n") : wrap(shown, look.width - indent);
  return lines.join(`\n${" ".repeat(indent)}`);
}

export function printRecord(todo: Todo__Output, look: Look) {
  const time = (ts: Timestamp | null) => (ts ? shownTime(toMillis(ts), look) : "-");
  const rows: [string, string][] = [
    ["ID", todo.id],
    ["Number", shortNumber(todo)],
    ["Title", inert(todo.title)],
    ["Description", todo.description ? described(todo.description, look, 13) : "-"],
    ["State", look.paint(STATE_STYLE[todo.state], stateName(todo.state))],
    ["Tags", todo.tags.map((t) => inert(t)).join(", ") || "-"],
    ["Reminder", look.paint(isOverdue(todo, look.now) ? "red" : undefined, time(todo.reminder))],
    ["Created", time(todo.create_time)],
    ["Updated", time(todo.update_time)],
    ["Etag", todo.etag],
  ];
  for (const [label, value] of rows) console.log(`${label.padEnd(12)} ${value}`.trimEnd());
}
