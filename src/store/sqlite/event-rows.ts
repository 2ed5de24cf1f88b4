// The events table's rows as the log's events.
import type { ChangeKind, TodoEvent } from "../../todos/ports";

export interface EventRow {
  position: number;
  event_id: string;
  todo_id: string;
  version: number;
  kind: string;
  time: number;
  actor: string;
  changed_fields: string;
  todo: string;
  /** A reminder_due event's reminder time (schema version 4). */
  reminder: number | null;
}

export function toEvent(row: EventRow): TodoEvent {
  const event: TodoEvent = {
    position: row.position,
    eventId: row.event_id,
    kind: row.kind as ChangeKind,
    todoId: row.todo_id,
    version: row.version,
    time: row.time,
    actor: row.actor,
    changedFields: JSON.parse(row.changed_fields),
    todo: withNumber(JSON.parse(row.todo)),
  };
  if (row.reminder !== null) event.reminder = row.reminder;
  return event;
}

/**
 * Events logged before todos had numbers (schema version 5) hold none: 0. Added last, not first, so
 * the todo keeps the key order it was stored with and a replay writes the same text again.
 */
function withNumber(todo: TodoEvent["todo"]): TodoEvent["todo"] {
  if (todo.number === undefined) todo.number = 0;
  return todo;
}
