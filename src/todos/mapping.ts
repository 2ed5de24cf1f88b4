// Conversions between the wire (generated proto types) and the domain (model.ts).
import type { Timestamp, Timestamp__Output } from "../proto/gen/types/google/protobuf/Timestamp";
import type { Todo } from "../proto/gen/types/todo/v1/Todo";
import type { TodoRecord } from "./model";

export function toTimestamp(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** Milliseconds since the epoch; sub-millisecond precision is dropped. */
export function fromTimestamp(ts: Timestamp__Output): number {
  return Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1_000_000);
}

/** The etag is the todo's version: opaque to clients, and it changes on every write. */
export function etagOf(version: number): string {
  return String(version);
}

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
