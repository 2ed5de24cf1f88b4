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
    // Events logged before todos had numbers (schema version 5) hold none: 0.
    todo: { number: 0, ...JSON.parse(row.todo) },
  };
  if (row.reminder !== null) event.reminder = row.reminder;
  return event;
}
