// The projection's input is the producer's: any message of any shape goes through the same
// decode-and-apply path `todo project` runs (toStreamItem with the real decoder, then the model on a
// real SQLite file). Whatever arrives, applying never throws (a throw stops the projection at that
// offset on every restart), no state outside the enum is ever stored, and valid events around the junk
// are still applied.
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import protobuf from "protobufjs";
import descriptors from "../proto/gen/descriptors.json";
import type { EventFormat } from "../config/fields";
import { decodeEventMessage, encodeEventMessage } from "../wire/event-message";
import { STATES, type State } from "../vocabulary/todo";
import type { TodoEvent } from "../todos/ports";
import { ProjectionModel, type StreamItem } from "./projection-model";
import { toStreamItem } from "./projection";

const CONTENT_TYPE: Record<EventFormat, string> = { protobuf: "application/x-protobuf", json: "application/json" };
const T0 = Date.UTC(2026, 10, 28, 10);

let serial = 0;
/** A valid created event of a todo of its own. */
function created(state: State = "STATE_IN_PROGRESS"): TodoEvent {
  const id = (++serial).toString(16).padStart(24, "0");
  return {
    position: serial,
    eventId: crypto.randomUUID(),
    kind: "created",
    todoId: id,
    version: 1,
    time: T0,
    actor: "alice",
    changedFields: [],
    todo: { id, title: `todo ${serial}`, description: "", tags: ["t"], reminder: T0, state, createTime: T0, updateTime: T0, version: 1, number: 0 },
  };
}

function openModel(): ProjectionModel {
  const model = ProjectionModel.openForWriting(join(mkdtempSync(join(tmpdir(), "projection-input-")), "projection.db"));
  model.claimStream("s");
  return model;
}

/** Decodes and applies messages as `todo project` does; what the model holds afterwards must be sound. */
function project(model: ProjectionModel, messages: { body: Uint8Array; contentType: string }[]) {
  let offset = model.resumeOffset() ?? 0;
  const items: StreamItem[] = messages.map((m) => toStreamItem(decodeEventMessage, offset++, m.body, m.contentType));
  const result = model.applyBatch(items, offset);
  const stored = [...model.todos()];
  for (const t of stored) expect(STATES).toContain(t.state);
  expect(Object.keys(model.stats().by_state).sort()).toEqual(STATES.map((s) => s.replace("STATE_", "")).sort());
  return { result, stored };
}

const message = (event: TodoEvent, format: EventFormat) => ({ body: encodeEventMessage(event, format).body, contentType: CONTENT_TYPE[format] });

/** Sets the value at a path of a JSON object (creating objects on the way), as a producer's mistake would. */
function setPath(json: Record<string, unknown>, path: string[], value: unknown): void {
  let at = json;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== "object" || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[path.at(-1)!] = value;
}

const JSON_PATHS = [
  ["created", "todo", "state"],
  ["created", "todo", "title"],
  ["created", "todo", "description"],
  ["created", "todo", "tags"],
  ["created", "todo", "reminder"],
  ["created", "todo", "createTime"],
  ["created", "todo", "id"],
  ["created", "todo", "etag"],
  ["created", "todo"],
  ["created"],
  ["updated"],
  ["deleted", "todo"],
  ["reminderDue", "reminder"],
  ["eventId"],
  ["position"],
  ["todoId"],
  ["version"],
  ["time"],
  ["actor"],
];

describe("the projection's input", () => {
  test("the reported messages: a state of {} or [] and scalar junk are rejected; the events after them are applied", () => {
    const model = openModel();
    const junk: unknown[] = [{}, [], 5, true, "BOGUS", "STATE_UNSPECIFIED", 0, 7, null];
    const bad = junk.map((state) => {
      const json = JSON.parse(message(created(), "json").body.toString());
      json.created.todo.state = state;
      return { body: Buffer.from(JSON.stringify(json)), contentType: CONTENT_TYPE.json };
    });
    const good = [created("STATE_DONE"), created()];
    const { result, stored } = project(model, [...bad, ...good.map((e) => message(e, "json"))]);
    // null is the default in proto3 JSON: STATE_UNSPECIFIED, which no stored todo has.
    expect(result).toEqual({ applied: 2, duplicates: 0, rejected: junk.length });
    expect(stored.map((t) => [t.id, t.state])).toEqual(good.map((e) => [e.todoId, e.todo.state]));
    expect(model.rejectedMessages(1)[0]!.reason).toMatch(/state/);
    model.close();
  });

  test("the model refuses an event of the wrong shape itself, whatever decoded it", () => {
    const model = openModel();
    const odd = created();
    (odd.todo as { state: unknown }).state = {};
    const tags = created();
    (tags.todo as { tags: unknown }).tags = [{}];
    const good = created();
    const result = model.applyBatch(
      [odd, tags, good].map((event, offset) => ({ offset, event })),
      3,
    );
    expect(result).toEqual({ applied: 1, duplicates: 0, rejected: 2 });
    expect([...model.todos()].map((t) => t.id)).toEqual([good.todoId]);
    model.close();
  });

  test("arbitrary JSON, and valid events with any JSON at any field: never a throw, never a state outside the enum, valid events applied", () => {
    const model = openModel();
    const junk = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.tuple(fc.constantFrom(...JSON_PATHS), fc.jsonValue()).map(([path, value]) => {
        const json = JSON.parse(message(created(), "json").body.toString());
        setPath(json, path, value);
        return JSON.stringify(json);
      }),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(junk.map((text) => ({ text })), fc.constant({ text: null })), { maxLength: 12 }), (slots) => {
        const valid: TodoEvent[] = [];
        const messages = slots.map(({ text }) => {
          if (text !== null) return { body: Buffer.from(text), contentType: CONTENT_TYPE.json };
          const event = created(STATES[serial % 3]);
          valid.push(event);
          return message(event, serial % 2 ? "json" : "protobuf");
        });
        const { result, stored } = project(model, messages);
        expect(result.applied).toBeGreaterThanOrEqual(valid.length);
        for (const e of valid) expect(stored.find((t) => t.id === e.todoId)).toMatchObject({ state: e.todo.state, title: e.todo.title });
      }),
      { numRuns: 300 },
    );
    model.close();
  });

  test("arbitrary bytes, and valid protobuf with bytes changed: never a throw, never a state outside the enum, valid events applied", () => {
    const model = openModel();
    const junk = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([at, bytes]) => {
        const body = Buffer.from(message(created(), "protobuf").body);
        const from = at % body.length;
        body.set(bytes.subarray(0, body.length - from), from);
        return new Uint8Array(body);
      }),
      // Fields the schema holds, with any wire value: an enum number it does not define among them.
      fc.tuple(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 5 }), fc.uint8Array({ maxLength: 12 })).map(([field, wire, bytes]) => {
        const body = Buffer.from(message(created(), "protobuf").body);
        return new Uint8Array(Buffer.concat([body, Buffer.from([(field << 3) | wire]), Buffer.from(bytes)]));
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(junk.map((bytes) => ({ bytes })), fc.constant({ bytes: null })), { maxLength: 12 }), (slots) => {
        const valid: TodoEvent[] = [];
        const messages = slots.map(({ bytes }) => {
          if (bytes !== null) return { body: bytes, contentType: CONTENT_TYPE.protobuf };
          const event = created(STATES[serial % 3]);
          valid.push(event);
          return message(event, "protobuf");
        });
        const { stored } = project(model, messages);
        for (const e of valid) expect(stored.find((t) => t.id === e.todoId)).toMatchObject({ state: e.todo.state, title: e.todo.title });
      }),
      { numRuns: 300 },
    );
    model.close();
  });

  test("an enum number the schema does not define, in protobuf, is rejected", () => {
    const type = protobuf.Root.fromJSON(descriptors["todo/v1/events.proto"] as protobuf.INamespace).lookupType("todo.v1.TodoEvent");
    const event = { event_id: "e", position: "1", todo_id: "t", version: "1", created: { todo: { id: "t", title: "x", state: 3 } } };
    expect(decodeEventMessage(type.encode(type.fromObject(event)).finish(), CONTENT_TYPE.protobuf).todo.state).toBe("STATE_DONE");
    event.created.todo.state = 9;
    expect(() => decodeEventMessage(type.encode(type.fromObject(event)).finish(), CONTENT_TYPE.protobuf)).toThrow(/state: enum value expected/);
  });
});
