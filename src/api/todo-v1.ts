// todo.v1.TodoService over gRPC: decode each request into the application's input, call the use case,
// encode the answer. What is particular to this wire lives here: proto3's unset fields and update
// masks, STATE_UNSPECIFIED, Timestamps, and the request's field names.
import type { Timestamp__Output } from "../proto/gen/types/google/protobuf/Timestamp";
import type { Todo, Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { TodoServiceDefinition, TodoServiceHandlers } from "../proto/gen/types/todo/v1/TodoService";
import { loadEmbedded } from "../proto/loader";
import type { UpdateTodoRequest__Output } from "../proto/gen/types/todo/v1/UpdateTodoRequest";
import type { TodoEvent as ProtoTodoEvent } from "../proto/gen/types/todo/v1/TodoEvent";
import type { TodoApp, TodoInput, UpdateInput } from "../todos/app";
import { InvalidArgumentError, LimitExceededError } from "../todos/errors";
import type { TodoEvent } from "../todos/ports";
import type { TodoRecord } from "../todos/model";
import { quote } from "../todos/quote";
import { etagOf } from "../todos/rules";
import { asRequestFields, todoFields } from "./fields";
import type { AsyncHandlers } from "./grpc/server";
import { fromTimestamp, toTimestamp } from "./timestamp";

export const TODO_SERVICE = "todo.v1.TodoService";

const todoDefinition = loadEmbedded("todo/v1/todo.proto")[TODO_SERVICE] as unknown as TodoServiceDefinition;

/**
 * What a SearchTodos page's todos may add up to, encoded: the 4 MiB that gRPC clients receive by
 * default, less room for the page token. A page of large todos ends there, with a next page token.
 */
export const PAGE_BYTES = 4 * 1024 * 1024 - 64 * 1024;

export function toProtoTodo(todo: TodoRecord): Todo {
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

/**
 * A watcher that reads slower than the log grows: at most `unsent` events wait for it, and when it has
 * taken none of them for `stallMs`, its stream ends: it receives the queued events, then
 * RESOURCE_EXHAUSTED naming the last of them as where to resume. (HTTP/2 delivers a stream's status
 * after its data, so a watcher that never reads again holds at most that buffer until it disconnects.)
 */
export const WATCH_LIMITS = { unsent: 256, stallMs: 10_000 };

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

const CREATE_FIELDS = todoFields("todo", { id: "todo_id", create_time: "todo.create_time", update_time: "todo.update_time" });
const UPDATE_FIELDS = todoFields("todo", { id: "todo.id", etag: "todo.etag" });

export function todoV1(app: TodoApp, watchLimits = WATCH_LIMITS, pageBytes = PAGE_BYTES): AsyncHandlers<TodoServiceHandlers> {
  // A repeated field encodes as the concatenation of its one-element encodings, so sizes add up exactly.
  const sizeOf = (todo: TodoRecord) => todoDefinition.SearchTodos.responseSerialize({ todos: [toProtoTodo(todo)] }).length;
  return {
    CreateTodo: (request, ctx) =>
      asRequestFields(CREATE_FIELDS, async () => {
        const times = request.todo && {
          createTime: request.todo.create_time ? fromTimestamp("todo.create_time", request.todo.create_time) : undefined,
          updateTime: request.todo.update_time ? fromTimestamp("todo.update_time", request.todo.update_time) : undefined,
        };
        return toProtoTodo(await app.create(ctx, { todo: decodeNewTodo(request.todo), id: request.todo_id || undefined, ...times }));
      }),

    GetTodo: async (request, ctx) => toProtoTodo(await app.get(ctx, request.id)),

    UpdateTodo: (request, ctx) => asRequestFields(UPDATE_FIELDS, async () => toProtoTodo(await app.update(ctx, decodeUpdate(request)))),

    DeleteTodo: async (request, ctx) => {
      await app.delete(ctx, { id: request.id, etag: request.etag });
      return {};
    },

    SearchTodos: async (request, ctx) => {
      if (request.states.includes("STATE_UNSPECIFIED")) throw new InvalidArgumentError("states", "STATE_UNSPECIFIED matches no todo");
      const { todos, nextPageToken } = await app.search(ctx, {
        pattern: request.pattern,
        tags: request.tags,
        states: request.states.map(String),
        reminderAfter: request.reminder_after ? fromTimestamp("reminder_after", request.reminder_after) : undefined,
        reminderBefore: request.reminder_before ? fromTimestamp("reminder_before", request.reminder_before) : undefined,
        orderBy: request.order_by,
        pageSize: request.page_size,
        pageToken: request.page_token,
        budget: { bytes: pageBytes, sizeOf },
      });
      return { todos: todos.map(toProtoTodo), next_page_token: nextPageToken };
    },

    WatchTodos: async (request, ctx, stream) => {
      const { after, events } = await app.watch(ctx, {
        afterPosition: request.from_now ? undefined : Number(request.after_position),
        todoIds: request.todo_ids,
        tags: request.tags,
        remindersOnly: request.reminders_only,
      });
      let sent = after;
      let tookOne = () => {};
      const send = (position: number, event: TodoEvent | null) => {
        sent = position;
        void stream.write({ position: String(position), event: event && toProtoEvent(event) }).then(() => tookOne());
      };
      send(after, null);
      for await (const event of events) {
        send(event.position, event);
        while (stream.unsent >= watchLimits.unsent) {
          let timer: Timer | undefined;
          const moved = await Promise.race([
            new Promise<true>((resolve) => (tookOne = () => resolve(true))),
            new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), watchLimits.stallMs))),
          ]);
          clearTimeout(timer);
          // The status follows the events already queued, so the watcher resumes after the last of them.
          if (!moved)
            throw new LimitExceededError(
              `the watcher took none of its ${watchLimits.unsent} unsent events for ${watchLimits.stallMs / 1000} s; resume the watch after position ${sent}`,
            );
        }
      }
    },
  };
}
