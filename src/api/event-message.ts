// The event log as messages outside gRPC (the RabbitMQ stream the relay publishes and `todo project`
// reads): each message is one todo.v1.TodoEvent (proto/todo/v1/events.proto), as protobuf bytes or as
// its proto3 JSON, with properties that let a consumer order and deduplicate without decoding the body.
import protobuf from "protobufjs";
import descriptors from "../proto/gen/descriptors.json";
import type { Timestamp, Timestamp__Output } from "../proto/gen/types/google/protobuf/Timestamp";
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { TodoEvent__Output } from "../proto/gen/types/todo/v1/TodoEvent";
import { InvalidArgumentError } from "../todos/errors";
import type { State, TodoRecord } from "../todos/model";
import type { ChangeKind, TodoEvent } from "../todos/ports";
import { eventToJson, rfc3339ToTimestamp } from "./json";
import { fromTimestamp } from "./timestamp";
import { toProtoEvent } from "./todo-v1";

import { EVENT_FORMATS, type EventFormat } from "../config/fields";

// The formats are settings (EVENTS_FORMAT), declared with the other settings' vocabulary.
export { EVENT_FORMATS, type EventFormat };

/** The message's content type per format; `type` names the schema either way. */
export const EVENT_CONTENT_TYPES: Record<EventFormat, string> = { protobuf: "application/x-protobuf", json: "application/json" };
export const EVENT_MESSAGE_TYPE = "todo.v1.TodoEvent";

/** Headers every message carries, so consumers can order and filter without decoding the body. */
export const POSITION_HEADER = "x-todo-position";
export const TODO_ID_HEADER = "x-todo-id";
export const KIND_HEADER = "x-todo-kind";

export interface EventMessage {
  body: Buffer;
  /** EVENT_CONTENT_TYPES[format]. */
  contentType: string;
  /** EVENT_MESSAGE_TYPE. */
  type: string;
  /** The event id: consumers deduplicate on it. */
  messageId: string;
  /** The event's time, in whole seconds (AMQP's timestamp property). */
  timestamp: number;
  headers: { [POSITION_HEADER]: number; [TODO_ID_HEADER]: string; [KIND_HEADER]: ChangeKind };
}

const OBJECT_OPTIONS: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true, oneofs: true };

let eventType: protobuf.Type | undefined;
function todoEventType(): protobuf.Type {
  eventType ??= protobuf.Root.fromJSON(descriptors["todo/v1/events.proto"] as protobuf.INamespace).lookupType(EVENT_MESSAGE_TYPE);
  return eventType;
}

export function encodeEventMessage(event: TodoEvent, format: EventFormat): EventMessage {
  const proto = toProtoEvent(event);
  const body =
    format === "json"
      ? Buffer.from(JSON.stringify(eventToJson(proto as TodoEvent__Output)))
      : Buffer.from(todoEventType().encode(todoEventType().fromObject(proto)).finish());
  return {
    body,
    contentType: EVENT_CONTENT_TYPES[format],
    type: EVENT_MESSAGE_TYPE,
    messageId: event.eventId,
    timestamp: Math.floor(event.time / 1000),
    headers: { [POSITION_HEADER]: event.position, [TODO_ID_HEADER]: event.todoId, [KIND_HEADER]: event.kind },
  };
}

/**
 * The event in a message's body, by its content type (a parameter such as `; charset=utf-8` is
 * ignored). A body that is not a TodoEvent throws InvalidArgumentError naming what is wrong.
 */
export function decodeEventMessage(body: Uint8Array, contentType: string): TodoEvent {
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  let proto: TodoEvent__Output;
  if (mediaType === EVENT_CONTENT_TYPES.protobuf) {
    try {
      proto = todoEventType().toObject(todoEventType().decode(body), OBJECT_OPTIONS) as TodoEvent__Output;
    } catch (e) {
      throw new InvalidArgumentError("body", `is not a protobuf ${EVENT_MESSAGE_TYPE} (${(e as Error).message})`, { cause: e });
    }
  } else if (mediaType === EVENT_CONTENT_TYPES.json) {
    proto = eventFromJson(body);
  } else {
    throw new InvalidArgumentError("content_type", `"${contentType.slice(0, 100)}" is neither ${EVENT_CONTENT_TYPES.protobuf} nor ${EVENT_CONTENT_TYPES.json}`);
  }
  return fromProtoEvent(proto);
}

/** The proto3 JSON of eventToJson back into the generated type. */
function eventFromJson(body: Uint8Array): TodoEvent__Output {
  let json: any;
  try {
    json = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch (e) {
    throw new InvalidArgumentError("body", `is not JSON (${(e as Error).message})`, { cause: e });
  }
  if (!json || typeof json !== "object") throw new InvalidArgumentError("body", "is not a JSON object");
  const time = (field: string, text: unknown) => (typeof text === "string" ? (rfc3339ToTimestamp(field, text) as Timestamp__Output) : null);
  const todo = (t: any): Todo__Output => ({
    id: String(t?.id ?? ""),
    title: String(t?.title ?? ""),
    description: String(t?.description ?? ""),
    tags: Array.isArray(t?.tags) ? t.tags.map(String) : [],
    reminder: time("reminder", t?.reminder),
    state: (t?.state ?? "STATE_UNSPECIFIED") as Todo__Output["state"],
    create_time: time("createTime", t?.createTime),
    update_time: time("updateTime", t?.updateTime),
    etag: String(t?.etag ?? ""),
  });
  const change = json.created ? "created" : json.updated ? "updated" : json.deleted ? "deleted" : json.reminderDue ? "reminder_due" : undefined;
  return {
    event_id: String(json.eventId ?? ""),
    position: String(json.position ?? "0"),
    todo_id: String(json.todoId ?? ""),
    version: String(json.version ?? "0"),
    time: time("time", json.time),
    actor: String(json.actor ?? ""),
    created: json.created ? { todo: todo(json.created.todo) } : null,
    updated: json.updated ? { todo: todo(json.updated.todo), update_mask: { paths: String(json.updated.updateMask ?? "").split(",").filter(Boolean) } } : null,
    deleted: json.deleted ? { todo: todo(json.deleted.todo) } : null,
    reminder_due: json.reminderDue ? { todo: todo(json.reminderDue.todo), reminder: time("reminder", json.reminderDue.reminder) } : null,
    change,
  } as TodoEvent__Output;
}

const millis = (field: string, ts: Timestamp | null | undefined) => (ts ? fromTimestamp(field, { seconds: String(ts.seconds ?? 0), nanos: ts.nanos ?? 0 }) : null);

function fromProtoEvent(proto: TodoEvent__Output): TodoEvent {
  const kind = proto.change as ChangeKind | undefined;
  const payload = kind && proto[kind];
  if (!kind || !payload?.todo) throw new InvalidArgumentError("change", "the event carries no change (created, updated, deleted or reminder_due) with its todo");
  const position = Number(proto.position);
  const version = Number(proto.version);
  if (!proto.event_id) throw new InvalidArgumentError("event_id", "must not be empty");
  if (!Number.isSafeInteger(position) || position < 1) throw new InvalidArgumentError("position", `must be a position from 1 on, got ${proto.position}`);
  if (!Number.isSafeInteger(version) || version < 1) throw new InvalidArgumentError("version", `must be a version from 1 on, got ${proto.version}`);
  const t = payload.todo;
  const todo: TodoRecord = {
    id: t.id,
    title: t.title,
    description: t.description,
    tags: t.tags,
    reminder: millis("todo.reminder", t.reminder),
    state: t.state as State,
    createTime: millis("todo.create_time", t.create_time) ?? 0,
    updateTime: millis("todo.update_time", t.update_time) ?? 0,
    // The snapshot's own version is in its etag; a delete's event version is the deleted one plus one.
    version: Number(t.etag) || (kind === "deleted" ? version - 1 : version),
  };
  const event: TodoEvent = {
    position,
    eventId: proto.event_id,
    kind,
    todoId: proto.todo_id,
    version,
    time: millis("time", proto.time) ?? 0,
    actor: proto.actor,
    changedFields: kind === "updated" ? (proto.updated?.update_mask?.paths ?? []) : [],
    todo,
  };
  if (kind === "reminder_due") event.reminder = millis("reminder_due.reminder", proto.reminder_due?.reminder) ?? undefined;
  return event;
}
