// The original v1.ToDo message and the domain's records, each way: states without their prefix, a
// reminder in whole seconds where 0 is none, and the original's update rule.
import type { _v1_ToDo_State__Output as LegacyState, ToDo, ToDo__Output } from "../proto/gen/types/v1/ToDo";
import type { TodoInput, UpdateInput } from "../todos/app";
import { InvalidArgumentError } from "../todos/errors";
import type { TodoRecord } from "../todos/model";
import { quote } from "../todos/quote";
import { SHORT_STATES, type State, shortState, stateFromSpelling } from "../vocabulary/todo";
import { fromTimestamp, toTimestamp } from "./timestamp";

/** The original's enum names the states without their prefix. The decoder passes an enum number it does not know through as a number. */
export function parseLegacyState(field: string, state: LegacyState | number): State {
  const domain = typeof state === "string" ? stateFromSpelling(state, "short") : undefined;
  if (!domain) throw new InvalidArgumentError(field, `unknown state ${typeof state === "number" ? state : quote(state)}; use one of ${SHORT_STATES.join(", ")}`);
  return domain;
}

/**
 * The original kept a reminder as whole Unix seconds, 0 for none (todo migrate reads its documents so),
 * and its clients set and read it so: a reminder of 0 seconds, or none at all, is no reminder.
 */
const NO_REMINDER = { seconds: "0", nanos: 0 } as const;

function reminderOf(field: string, reminder: ToDo__Output["reminder"]): number | null {
  if (!reminder) return null;
  const ms = fromTimestamp(field, reminder);
  return Number(reminder.seconds) === 0 ? null : ms;
}

export function toLegacyToDo(todo: TodoRecord): ToDo {
  return {
    id: todo.id,
    title: todo.title,
    description: todo.description,
    tags: todo.tags,
    // Always set, as the original's answers were: a client reading it unset would find a nil message.
    reminder: todo.reminder === null ? { ...NO_REMINDER } : toTimestamp(todo.reminder),
    state: shortState(todo.state),
  };
}

export function decodeNewToDo(toDo: ToDo__Output | null): TodoInput {
  if (!toDo) throw new InvalidArgumentError("toDo", "is required");
  return {
    title: toDo.title,
    description: toDo.description,
    tags: toDo.tags,
    reminder: reminderOf("toDo.reminder", toDo.reminder),
    state: parseLegacyState("toDo.state", toDo.state),
  };
}

/**
 * The original's update: tags and state always; title and description when non-empty; reminder when set.
 * A set reminder of 0 seconds clears it: the original stored the 0, which was its "no reminder", and
 * its clients send one for exactly that (a todo without a reminder, read and written back, or a
 * cleared one); only an unset reminder keeps what is stored.
 */
export function decodeUpdate(toDo: ToDo__Output | null): UpdateInput {
  if (!toDo) throw new InvalidArgumentError("toDo", "is required");
  const fields: UpdateInput["fields"] = { tags: toDo.tags, state: parseLegacyState("toDo.state", toDo.state) };
  if (toDo.title !== "") fields.title = toDo.title;
  if (toDo.description !== "") fields.description = toDo.description;
  if (toDo.reminder) fields.reminder = reminderOf("toDo.reminder", toDo.reminder);
  return { id: toDo.id, fields };
}

