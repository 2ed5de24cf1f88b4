// todo.v1's messages and the domain's records, each way: proto3's unset fields and update masks,
// STATE_UNSPECIFIED and Timestamps. The gRPC service (src/api/todo-v1.ts), the event codec and the CLI
// all map through here.
import type { Timestamp__Output } from "../proto/gen/types/google/protobuf/Timestamp";
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { TodoEvent as ProtoTodoEvent } from "../proto/gen/types/todo/v1/TodoEvent";
import type { UpdateTodoRequest__Output } from "../proto/gen/types/todo/v1/UpdateTodoRequest";
import type { TodoInput, UpdateInput } from "../todos/app";
import { InvalidArgumentError } from "../todos/errors";
import type { TodoRecord } from "../todos/model";
import type { TodoEvent } from "../todos/ports";
import { quote } from "../todos/quote";
import { etagOf } from "../todos/rules";
import { fromTimestamp, toTimestamp } from "./timestamp";

export function toProtoTodo(todo: TodoRecord): Todo__Output {
  return {
    id: todo.id,
    title: todo.title,
    description: todo.description,
    tags: todo.tags,
    reminder: todo.reminder === null ? null : toTimestamp(todo.reminder),
    state: todo.state,
    create_time: toTimestamp(todo.createTime),
    update_time: toTimestamp(todo.updateTime),
    etag: etagOf(todo.version),
    number: String(todo.number),
  };
}

export function toProtoEvent(event: TodoEvent): ProtoTodoEvent {
  const todo = toProtoTodo(event.todo);
  const common = {
    event_id: event.eventId,
    position: String(event.position),
    todo_id: event.todoId,
    version: String(event.version),
    time: toTimestamp(event.time),
    actor: event.actor,
  };
  if (event.kind === "created") return { ...common, created: { todo } };
  if (event.kind === "updated") return { ...common, updated: { todo, update_mask: { paths: event.changedFields } } };
  if (event.kind === "reminder_due") return { ...common, reminder_due: { todo, reminder: toTimestamp(event.reminder ?? event.todo.reminder ?? event.time) } };
  return { ...common, deleted: { todo } };
}

const reminderOf = (field: string, ts: Timestamp__Output | null) => (ts ? fromTimestamp(field, ts) : null);
/** STATE_UNSPECIFIED means the default; the decoder passes an enum number it does not know as a number. */
const stateOf = (state: Todo__Output["state"]) => (state === "STATE_UNSPECIFIED" ? undefined : String(state));

export function decodeNewTodo(todo: Todo__Output | null): TodoInput {
  if (!todo) throw new InvalidArgumentError("todo", "is required");
  return {
    title: todo.title,
    description: todo.description,
    tags: todo.tags,
    reminder: reminderOf("todo.reminder", todo.reminder),
    state: stateOf(todo.state),
  };
}

const MASKABLE = ["title", "description", "tags", "reminder", "state"] as const;
type Maskable = (typeof MASKABLE)[number];

/** Whether a field is set, for updates without a mask (proto3 cannot tell empty from absent). */
const isSet: Record<Maskable, (todo: Todo__Output) => boolean> = {
  title: (t) => t.title !== "",
  description: (t) => t.description !== "",
  tags: (t) => t.tags.length > 0,
  reminder: (t) => t.reminder !== null,
  state: (t) => t.state !== "STATE_UNSPECIFIED",
};

/** The fields an update replaces: the mask's, else those set. A masked field that is unset becomes empty. */
export function decodeUpdate(request: UpdateTodoRequest__Output): UpdateInput {
  const todo = request.todo;
  if (!todo) throw new InvalidArgumentError("todo", "is required");
  let paths: Maskable[];
  if (request.update_mask && request.update_mask.paths.length > 0) {
    paths = [];
    for (const path of request.update_mask.paths) {
      if (path === "*") paths.push(...MASKABLE);
      else if ((MASKABLE as readonly string[]).includes(path)) paths.push(path as Maskable);
      else throw new InvalidArgumentError("update_mask", `cannot update ${quote(path)}; use ${MASKABLE.join(", ")} or *`);
    }
  } else {
    paths = MASKABLE.filter((field) => isSet[field](todo));
  }
  const fields: UpdateInput["fields"] = {};
  for (const path of new Set(paths)) {
    if (path === "title") fields.title = todo.title;
    if (path === "description") fields.description = todo.description;
    if (path === "tags") fields.tags = todo.tags;
    if (path === "reminder") fields.reminder = reminderOf("todo.reminder", todo.reminder);
    if (path === "state") fields.state = stateOf(todo.state) ?? "STATE_NOT_STARTED";
  }
  return { id: todo.id, fields, etag: todo.etag };
}

