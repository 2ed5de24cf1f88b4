import { describe, expect, test } from "bun:test";
import type { TodoEvent } from "../todos/ports";
import { EVENT_FORMATS } from "../config/fields";
import { decodeEventMessage, encodeEventMessage } from "./event-message";

const todo = {
  id: "01JTODO",
  title: "write \u00fcnit tests",
  description: "a\nb",
  tags: ["x", "y"],
  reminder: 1_780_000_000_123,
  state: "STATE_IN_PROGRESS" as const,
  createTime: 1_770_000_000_000,
  updateTime: 1_775_000_000_456,
  version: 3,
  number: 7,
};
const base = { position: 42, eventId: "5c0e6f1e-0000-4000-8000-000000000001", todoId: todo.id, version: 3, time: 1_775_000_000_456, actor: "alice", changedFields: [] as string[], todo };
const events: TodoEvent[] = [
  { ...base, kind: "created" },
  { ...base, kind: "updated", changedFields: ["title", "tags"] },
  { ...base, kind: "deleted", version: 4 },
  { ...base, kind: "reminder_due", reminder: todo.reminder },
];

describe("event messages", () => {
  for (const format of EVENT_FORMATS)
    for (const event of events)
      test(`${format} ${event.kind} round-trips with its properties`, () => {
        const message = encodeEventMessage(event, format);
        expect(message.messageId).toBe(event.eventId);
        expect(message.headers).toEqual({ "x-todo-position": 42, "x-todo-id": todo.id, "x-todo-kind": event.kind });
        expect(decodeEventMessage(message.body, `${message.contentType}; charset=utf-8`)).toEqual(event);
      });

  test("a body that is not an event is refused, naming why", () => {
    expect(() => decodeEventMessage(Buffer.from("{}"), "application/json")).toThrow(/change/);
    expect(() => decodeEventMessage(Buffer.from([0xff, 0xff]), "application/x-protobuf")).toThrow(/protobuf todo.v1.TodoEvent/);
    expect(() => decodeEventMessage(Buffer.from("x"), "text/plain")).toThrow(/content_type/);
  });
});
