// How a write becomes its event, the same in every store.
import { randomUUID } from "node:crypto";
import type { TodoFields, TodoRecord } from "./model";
import type { Change, ChangeKind } from "./ports";

export const USER_FIELDS = ["title", "description", "tags", "reminder", "state"] as const satisfies readonly (keyof TodoFields)[];

/** The event of one write: `version` is the todo's after it (a delete's: the deleted version plus one). */
export function changeOf(kind: ChangeKind, todo: TodoRecord, options: { version: number; time: number; actor?: string; changedFields?: readonly string[] }): Change {
  return {
    eventId: randomUUID(),
    kind,
    todoId: todo.id,
    version: options.version,
    time: options.time,
    actor: options.actor ?? "",
    changedFields: kind === "updated" ? USER_FIELDS.filter((f) => options.changedFields?.includes(f)) : [],
    todo,
  };
}

/** The user fields whose values differ between two versions of a todo. */
export function differingFields(before: TodoFields, after: TodoFields): string[] {
  return USER_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

/** The event of a reminder that fired: the todo unchanged, at its current version. */
export function reminderDueOf(todo: TodoRecord, reminder: number, time: number): Change {
  return { ...changeOf("reminder_due", todo, { version: todo.version, time }), reminder };
}
