// The hand-written Todo encoding against protobufjs's decoder (the client's static codec, the shapes
// proto-loader gives): whatever the todo, it decodes to toProtoTodo's message, and a page to its todos
// and token, as protobufjs's own encoding of the same message does.
import { expect, test } from "bun:test";
import fc from "fast-check";
import { todo as proto } from "../proto/gen/static.js";
import type { TodoRecord } from "../todos/model";
import { STATES } from "../vocabulary/todo";
import { decodeSearchPage, encodeSearchPage, encodeTodo, encodeTodoField } from "./todo-bytes";
import { toProtoTodo } from "./todo-v1";

const TO_OBJECT = { longs: String, enums: String, defaults: true, oneofs: true };
const decodeTodo = (bytes: Uint8Array) => proto.v1.Todo.toObject(proto.v1.Todo.decode(bytes), TO_OBJECT);

// Milliseconds within the Timestamp's range (years 1 to 9999), the edges and 0 among them.
const ms = fc.oneof(fc.bigInt({ min: -62_135_596_800_000n, max: 253_402_300_799_999n }).map(Number), fc.constantFrom(0, -1, 1, 999, 1000, -62_135_596_800_000, 253_402_300_799_999));
const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom("", "ü".repeat(300), "👨‍👩‍👧", "\u0000\u001b]0;x\u0007"));
const record: fc.Arbitrary<TodoRecord> = fc.record({
  id: fc.oneof(fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 24, maxLength: 24 }), text),
  title: text,
  description: text,
  tags: fc.array(text, { maxLength: 5 }),
  reminder: fc.option(ms, { nil: null }),
  state: fc.constantFrom(...STATES),
  createTime: ms,
  updateTime: ms,
  version: fc.oneof(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constant(Number.MAX_SAFE_INTEGER)),
  number: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constant(Number.MAX_SAFE_INTEGER)),
});

test("any todo decodes to toProtoTodo's message", () => {
  fc.assert(
    fc.property(record, (todo) => {
      expect(decodeTodo(encodeTodo(todo))).toEqual(decodeTodo(proto.v1.Todo.encode(proto.v1.Todo.fromObject(toProtoTodo(todo))).finish()));
      expect(decodeTodo(encodeTodo(todo))).toEqual(toProtoTodo(todo));
    }),
    { numRuns: 2000 },
  );
});

const protobufjsPage = (bytes: Uint8Array) => proto.v1.SearchTodosResponse.toObject(proto.v1.SearchTodosResponse.decode(bytes), TO_OBJECT);
const token = fc.oneof(fc.constant(""), fc.base64String({ minLength: 1 }));

test("a page decodes to its todos and its token, by protobufjs and by decodeSearchPage alike", () => {
  fc.assert(
    fc.property(fc.array(record, { maxLength: 20 }), token, (todos, token) => {
      const page = encodeSearchPage(todos.map((t) => encodeTodoField(t)), token);
      const expected = { todos: todos.map(toProtoTodo), next_page_token: token };
      expect(protobufjsPage(page)).toEqual(expected);
      expect(decodeSearchPage(page)).toEqual(expected);
    }),
    { numRuns: 500 },
  );
});

test("decodeSearchPage reads protobufjs's encoding (defaults written out, other field order) as protobufjs does", () => {
  fc.assert(
    fc.property(fc.array(record, { maxLength: 10 }), token, (todos, token) => {
      const bytes = proto.v1.SearchTodosResponse.encode(proto.v1.SearchTodosResponse.fromObject({ todos: todos.map(toProtoTodo), next_page_token: token })).finish();
      expect(decodeSearchPage(bytes)).toEqual(protobufjsPage(bytes) as never);
    }),
    { numRuns: 500 },
  );
  // A field this client does not know (a newer daemon's) is passed over.
  const known = encodeSearchPage([encodeTodoField({ id: "a", title: "t", description: "", tags: [], reminder: null, state: "STATE_DONE", createTime: 1, updateTime: 2, version: 1, number: 3 })], "next");
  const unknown = Buffer.from([(12 << 3) | 0, 0x96, 0x01, (13 << 3) | 2, 2, 0x68, 0x69, (14 << 3) | 5, 1, 2, 3, 4, (15 << 3) | 1, 1, 2, 3, 4, 5, 6, 7, 8]);
  expect(decodeSearchPage(Buffer.concat([unknown, known]))).toEqual(protobufjsPage(known) as never);
  expect(() => decodeSearchPage(known.subarray(0, known.length - 3))).toThrow();
});
