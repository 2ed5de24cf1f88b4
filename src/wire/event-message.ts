// The event log as messages outside gRPC (the RabbitMQ stream the relay publishes and `todo project`
// reads): each message is one todo.v1.TodoEvent (proto/todo/v1/events.proto), as protobuf bytes or as
// its proto3 JSON, with properties that let a consumer order and deduplicate without decoding the body.
import protobuf from "protobufjs";
import descriptors from "../proto/gen/descriptors.json";
import type { Timestamp } from "../proto/gen/types/google/protobuf/Timestamp";
import type { TodoEvent__Output } from "../proto/gen/types/todo/v1/TodoEvent";
import { InvalidArgumentError } from "../todos/errors";
import { quote } from "../todos/quote";
import type { TodoRecord } from "../todos/model";
import { STATES, stateFromSpelling } from "../vocabulary/todo";
import type { ChangeKind, TodoEvent } from "../todos/ports";
import { eventToJson, rfc3339ToTimestamp } from "./json";
import { fromTimestamp } from "./timestamp";
import { toProtoEvent } from "./todo-v1";

// The formats are settings (EVENTS_FORMAT), declared with the other settings' vocabulary.
import type { EventFormat } from "../config/fields";

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
      const message = todoEventType().decode(body);
      // Bytes that decode can still break the schema: an enum number it does not define, two of a oneof.
      const problem = todoEventType().verify(message);
      if (problem) throw new Error(problem);
      proto = todoEventType().toObject(message, OBJECT_OPTIONS) as TodoEvent__Output;
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

/**
 * A proto3 JSON TodoEvent read through the schema: every field present must have its type's JSON form
 * (strings for strings, a known enum name or number, an RFC 3339 string for a Timestamp, an integer or a
 * string of digits for a 64-bit integer, an array for a repeated field, an object for a message), or the
 * message is refused naming the field. Nothing is coerced (String({}) would make "[object Object]").
 * Fields the schema does not know are passed over, as the protobuf decoder passes over unknown tags: a
 * newer producer's addition must not make every message unreadable.
 */
function eventFromJson(body: Uint8Array): TodoEvent__Output {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch (e) {
    throw new InvalidArgumentError("body", `is not JSON (${(e as Error).message})`, { cause: e });
  }
  if (!isObject(json)) throw new InvalidArgumentError("body", "is not a JSON object");
  const type = todoEventType();
  const proto = readJsonMessage(type, json, "");
  return type.toObject(type.fromObject(proto), OBJECT_OPTIONS) as TodoEvent__Output;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** What a value is, for a refusal: never the value itself (it may be large). */
const jsonKind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`);

function readJsonMessage(type: protobuf.Type, json: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    const field = type.fields[key] ?? type.fieldsArray.find((f) => protobuf.util.camelCase(f.name) === key);
    // null is the field's default in proto3 JSON.
    if (!field || value === null) continue;
    const name = prefix + field.name;
    if (out[field.name] !== undefined) throw new InvalidArgumentError(name, "is given twice");
    if (field.repeated) {
      if (!Array.isArray(value)) throw new InvalidArgumentError(name, `must be an array, got ${jsonKind(value)}`);
      out[field.name] = value.map((v, i) => readJsonValue(field, v, `${name}[${i}]`));
    } else out[field.name] = readJsonValue(field, value, name);
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.fieldsArray.filter((f) => out[f.name] !== undefined);
    if (set.length > 1) throw new InvalidArgumentError(prefix + oneof.name, `holds ${set.map((f) => f.name).join(" and ")}: at most one`);
  }
  return out;
}

const INTEGER_TEXT = /^-?(0|[1-9][0-9]*)$/;

function readJsonValue(field: protobuf.Field, value: unknown, name: string): unknown {
  const resolved = field.resolve().resolvedType;
  if (resolved instanceof protobuf.Enum) {
    if (typeof value === "string" && resolved.values[value] !== undefined) return value;
    if (typeof value === "number" && resolved.valuesById[value] !== undefined) return resolved.valuesById[value];
    throw new InvalidArgumentError(name, `must be one of ${Object.keys(resolved.values).join(", ")}, got ${typeof value === "string" ? quote(value) : jsonKind(value)}`);
  }
  if (resolved instanceof protobuf.Type) {
    if (resolved.fullName === ".google.protobuf.Timestamp") {
      if (typeof value !== "string") throw new InvalidArgumentError(name, `must be an RFC 3339 time string, got ${jsonKind(value)}`);
      return rfc3339ToTimestamp(name, value);
    }
    if (resolved.fullName === ".google.protobuf.FieldMask") {
      if (typeof value !== "string") throw new InvalidArgumentError(name, `must be a string of comma-separated paths, got ${jsonKind(value)}`);
      return { paths: value.split(",").filter(Boolean) };
    }
    if (!isObject(value)) throw new InvalidArgumentError(name, `must be an object, got ${jsonKind(value)}`);
    return readJsonMessage(resolved, value, `${name}.`);
  }
  switch (field.type) {
    case "string":
      if (typeof value !== "string") throw new InvalidArgumentError(name, `must be a string, got ${jsonKind(value)}`);
      return value;
    case "bool":
      if (typeof value !== "boolean") throw new InvalidArgumentError(name, `must be true or false, got ${jsonKind(value)}`);
      return value;
    case "int64":
    case "uint64":
    case "int32":
    case "uint32":
    case "sint64":
    case "sint32":
    case "fixed64":
    case "fixed32":
    case "sfixed64":
    case "sfixed32": {
      const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : typeof value === "string" && INTEGER_TEXT.test(value) ? value : undefined;
      if (text === undefined) throw new InvalidArgumentError(name, `must be an integer, got ${jsonKind(value)}`);
      const n = BigInt(text);
      const bits = field.type.endsWith("64") ? 64n : 32n;
      const unsigned = field.type.startsWith("u") || field.type.startsWith("fixed");
      const [min, max] = unsigned ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
      if (n < min || n > max) throw new InvalidArgumentError(name, `${text.slice(0, 40)} is out of range for ${field.type}`);
      return bits === 64n ? text : Number(text);
    }
    default:
      // The event schema has no other field types; one added later is refused until it is read here.
      throw new InvalidArgumentError(name, `has type ${field.type}, which this reader does not take`);
  }
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
  if (!proto.todo_id) throw new InvalidArgumentError("todo_id", "must not be empty");
  const t = payload.todo;
  if (t.id && t.id !== proto.todo_id) throw new InvalidArgumentError(`${kind}.todo.id`, `${quote(t.id)} is not the event's todo_id ${quote(proto.todo_id)}`);
  // A stored todo always has one of these: STATE_UNSPECIFIED (or a number) would be a state no store holds.
  const state = stateFromSpelling(String(t.state), "name");
  if (!state) throw new InvalidArgumentError(`${kind}.todo.state`, `must be one of ${STATES.join(", ")}, got ${quote(String(t.state))}`);
  const todo: TodoRecord = {
    id: proto.todo_id,
    title: t.title,
    description: t.description,
    tags: t.tags,
    reminder: millis("todo.reminder", t.reminder),
    state,
    createTime: millis("todo.create_time", t.create_time) ?? 0,
    // 0 from a writer that predates numbers; a store numbers such a todo itself.
    number: Number(t.number ?? 0) || 0,
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
