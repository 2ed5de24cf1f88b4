// todo.v1.TodoService over gRPC: decode each request into the application's input (src/wire/todo-v1.ts),
// call the use case, encode the answer. What is particular to the service lives here: the request's
// field names, page sizes in bytes, and a watch's flow control.
import type { TodoServiceDefinition, TodoServiceHandlers } from "../proto/gen/types/todo/v1/TodoService";
import type { TodoApp } from "../todos/app";
import { InvalidArgumentError, LimitExceededError } from "../todos/errors";
import type { TodoRecord } from "../todos/model";
import type { TodoEvent } from "../todos/ports";
import { fromTimestamp } from "../wire/timestamp";
import { encodeSearchPage, encodeTodoField } from "../wire/todo-bytes";
import { decodeNewTodo, decodeUpdate, toProtoEvent, toProtoTodo } from "../wire/todo-v1";
import { asRequestFields, todoFields } from "./fields";
import type { AsyncHandlers } from "./grpc/handlers";

export const TODO_SERVICE = "todo.v1.TodoService";

const ENCODED = Symbol("the SearchTodos page's bytes");

/**
 * TodoService's definition as the daemon serves it: a SearchTodos page goes out as the bytes it was
 * weighed in (src/wire/todo-bytes.ts), not encoded a second time by protobufjs.
 */
export function servedDefinition(definition: TodoServiceDefinition): TodoServiceDefinition {
  const search = definition.SearchTodos;
  const responseSerialize = (page: Parameters<typeof search.responseSerialize>[0]) => (page as { [ENCODED]?: Buffer })[ENCODED] ?? search.responseSerialize(page);
  return { ...definition, SearchTodos: { ...search, responseSerialize } };
}

/**
 * What a SearchTodos page's todos may add up to, encoded: the 4 MiB that gRPC clients receive by
 * default, less room for the page token. A page of large todos ends there, with a next page token.
 */
export const PAGE_BYTES = 4 * 1024 * 1024 - 64 * 1024;

/**
 * A watcher that reads slower than the log grows: at most `unsent` events wait for it, and when it has
 * taken none of them for `stallMs`, its stream ends: it receives the queued events, then
 * RESOURCE_EXHAUSTED naming the last of them as where to resume. (HTTP/2 delivers a stream's status
 * after its data, so a watcher that never reads again holds at most that buffer until it disconnects.)
 */
export const WATCH_LIMITS = { unsent: 256, stallMs: 10_000 };

const CREATE_FIELDS = todoFields("todo", { id: "todo_id", create_time: "todo.create_time", update_time: "todo.update_time" });
const UPDATE_FIELDS = todoFields("todo", { id: "todo.id", etag: "todo.etag" });

export function todoV1(app: TodoApp, watchLimits = WATCH_LIMITS, pageBytes = PAGE_BYTES): AsyncHandlers<TodoServiceHandlers> {
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
      // A repeated field encodes as the concatenation of its one-element encodings, so sizes add up
      // exactly: each todo is encoded as the page is weighed, and the page sent is those bytes.
      const encoded = new Map<TodoRecord, Buffer>();
      const sizeOf = (todo: TodoRecord) => {
        const bytes = encodeTodoField(todo);
        encoded.set(todo, bytes);
        return bytes.length;
      };
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
      const page = { todos: todos.map(toProtoTodo), next_page_token: nextPageToken };
      const bytes = encodeSearchPage(
        todos.map((todo) => encoded.get(todo) ?? encodeTodoField(todo)),
        nextPageToken,
      );
      return Object.defineProperty(page, ENCODED, { value: bytes });
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
