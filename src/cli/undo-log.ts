// What `todo undo` reads from the event log (docs/undo.md): the caller's changes, each the events one
// command wrote, and for each todo a change touched, the todo as it was before and after it.
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { TodoEvent__Output } from "../proto/gen/types/todo/v1/TodoEvent";
import type { TodoClient } from "./client";
import { CliError } from "./errors";

/**
 * Two of the caller's events this far apart or less belong to one change. A command's writes follow each
 * other within milliseconds (a bulk one runs 16 at a time); a person's next command comes seconds later.
 */
export const SAME_CHANGE_MS = 1000;

export type Kind = "created" | "updated" | "deleted";

export interface LoggedEvent {
  position: number;
  todoId: string;
  time: number;
  actor: string;
  kind: Kind | "reminder_due";
  fields: string[];
  todo: Todo__Output;
}

/** One todo within a change: as it was before the change (null: the change created it) and after (null: deleted). */
export interface Touched {
  todoId: string;
  before: Todo__Output | null;
  after: Todo__Output | null;
  /** The fields the change's updates named. */
  fields: string[];
}

export interface Change {
  time: number;
  events: LoggedEvent[];
  touched: Touched[];
}

const millis = (ts: Todo__Output["create_time"]) => (ts ? Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6) : 0);

function toLogged(e: TodoEvent__Output): LoggedEvent {
  const kind = e.created ? "created" : e.updated ? "updated" : e.deleted ? "deleted" : "reminder_due";
  const todo = (e.created ?? e.updated ?? e.deleted ?? e.reminder_due)!.todo!;
  return { position: Number(e.position), todoId: e.todo_id, time: millis(e.time), actor: e.actor, kind, fields: e.updated?.update_mask?.paths ?? [], todo };
}

/** Reads the whole log up to its head as the call starts (a watch from now says where that is). */
export async function readLog(client: TodoClient): Promise<LoggedEvent[]> {
  const head = await firstPosition(client, { from_now: true });
  const events: LoggedEvent[] = [];
  if (head === 0) return events;
  let reached = false;
  await client.watch({ after_position: "0" }, (message) => {
    if (message.event) events.push(toLogged(message.event));
    reached = Number(message.position) >= head;
    return reached;
  });
  if (!reached) throw new CliError("the daemon ended the log before its head: try again");
  return events;
}

async function firstPosition(client: TodoClient, request: { from_now: boolean }): Promise<number> {
  let position: number | undefined;
  await client.watch(request, (message) => {
    position = Number(message.position);
    return true;
  });
  if (position === undefined) throw new CliError("the daemon ended the watch at once: try again");
  return position;
}

/**
 * The caller's changes, newest first: each a run of the caller's writes at most SAME_CHANGE_MS apart,
 * touching each todo once (one command writes a todo once, so a second write to it, such as an undo
 * right after the change, begins another).
 */
export function changesBy(actor: string, log: LoggedEvent[]): Change[] {
  const groups: LoggedEvent[][] = [];
  let last: LoggedEvent | undefined;
  for (const event of log) {
    if (event.actor !== actor || event.kind === "reminder_due") continue;
    if (last && event.time - last.time <= SAME_CHANGE_MS && !groups.at(-1)!.some((e) => e.todoId === event.todoId)) groups.at(-1)!.push(event);
    else groups.push([event]);
    last = event;
  }
  // The todo before an event: the one its previous event carries.
  const previous = new Map<LoggedEvent, Todo__Output | null>();
  const latest = new Map<string, LoggedEvent>();
  for (const event of log) {
    const before = latest.get(event.todoId);
    previous.set(event, event.kind === "created" ? null : event.kind === "deleted" ? event.todo : (before?.todo ?? null));
    latest.set(event.todoId, event);
  }
  return groups.reverse().map((events) => {
    const byTodo = new Map<string, Touched>();
    for (const event of events) {
      const seen = byTodo.get(event.todoId);
      const after = event.kind === "deleted" ? null : event.todo;
      if (seen) {
        seen.after = after;
        seen.fields = [...new Set([...seen.fields, ...event.fields])];
      } else byTodo.set(event.todoId, { todoId: event.todoId, before: previous.get(event) ?? null, after, fields: event.fields });
    }
    return { time: events[0]!.time, events, touched: [...byTodo.values()] };
  });
}

/** One line for a change: what it did, to how many todos, the first titles. */
export function describe(change: Change): string {
  const kinds = new Set(change.events.map((e) => e.kind));
  const fields = [...new Set(change.events.flatMap((e) => e.fields))];
  const state = fields.length === 1 && fields[0] === "state" ? change.touched[0]?.after?.state.replace(/^STATE_/, "") : undefined;
  const verb = kinds.size > 1 ? "changed" : kinds.has("created") ? "added" : kinds.has("deleted") ? "deleted" : state ? `set ${state}` : `updated ${fields.join(", ")}`;
  const titles = change.touched.slice(0, 3).map((t) => `"${(t.after ?? t.before)?.title ?? t.todoId}"`);
  const more = change.touched.length > 3 ? ` and ${change.touched.length - 3} more` : "";
  return `${verb}: ${change.touched.length === 1 ? "" : `${change.touched.length} todos, `}${titles.join(", ")}${more}`;
}
