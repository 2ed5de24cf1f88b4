// A unary reply within its reservation is always sent, so the reservation must hold any reply to a
// write: todo.v1's CreateTodo and UpdateTodo answer the todo (v1.ToDoService's writes answer an id or
// a count).
import { expect, test } from "bun:test";
import { loadEmbedded } from "../../proto/loader";
import type { TodoServiceDefinition } from "../../proto/gen/types/todo/v1/TodoService";
import { LIMITS } from "../../vocabulary/todo";
import { toProtoTodo } from "../../wire/todo-v1";
import { TODO_SERVICE } from "../todo-v1";
import { RESERVED_REPLY_BYTES } from "./reply-budget";

test("the room reserved for a reply holds a todo at the rules' limits, in four-byte characters", () => {
  const definition = loadEmbedded("todo/v1/todo.proto")[TODO_SERVICE] as unknown as TodoServiceDefinition;
  const wide = (n: number) => "\u{1D11E}".repeat(n);
  const largest = toProtoTodo({
    id: "f".repeat(24),
    title: wide(LIMITS.titleLength),
    description: wide(LIMITS.descriptionLength),
    tags: Array.from({ length: LIMITS.tags }, (_, i) => wide(LIMITS.tagLength - 1) + String.fromCodePoint(0x1d100 + i)),
    reminder: Number.MAX_SAFE_INTEGER,
    state: "STATE_IN_PROGRESS",
    createTime: Number.MAX_SAFE_INTEGER,
    updateTime: Number.MAX_SAFE_INTEGER,
    version: Number.MAX_SAFE_INTEGER,
    number: Number.MAX_SAFE_INTEGER,
  });
  for (const method of ["CreateTodo", "UpdateTodo"] as const) {
    const framed = 5 + definition[method].responseSerialize(largest).length;
    expect(framed).toBeGreaterThan(40_000);
    expect(framed).toBeLessThan(RESERVED_REPLY_BYTES);
  }
});
