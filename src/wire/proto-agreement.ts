// The domain declares its own types (src/vocabulary/todo.ts, src/todos/model.ts); the wire maps them to
// the proto's generated ones. These type-level assertions hold only while the two agree, so a proto
// change that drifts from the domain (a new state, a renamed or added field) fails `bun run typecheck`
// here, naming the check, instead of slipping through a mapping. Nothing here runs.
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { ToDo__Output } from "../proto/gen/types/v1/ToDo";
import type { TodoRecord } from "../todos/model";
import type { OrderField, ShortState, State } from "../vocabulary/todo";

/** True only when A and B are the same type (not merely assignable either way). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;

/** How each of a stored todo's fields is named in todo.v1.Todo. */
type ProtoName = {
  id: "id";
  title: "title";
  description: "description";
  tags: "tags";
  reminder: "reminder";
  state: "state";
  createTime: "create_time";
  updateTime: "update_time";
  /** The etag is derived from the version (todos/rules.ts etagOf). */
  version: "etag";
  number: "number";
};

export type ProtoAgreement = [
  // todo.v1's states are the domain's, plus STATE_UNSPECIFIED (proto3's unset).
  Holds<Same<Exclude<Todo__Output["state"], "STATE_UNSPECIFIED">, State>>,
  // The original v1 API's states are the domain's without their prefix.
  Holds<Same<ToDo__Output["state"], ShortState>>,
  // Every field of a stored todo has its todo.v1 field, and todo.v1.Todo has no field the domain lacks.
  Holds<Same<keyof ProtoName, keyof TodoRecord>>,
  Holds<Same<ProtoName[keyof ProtoName], keyof Todo__Output>>,
  // The user's fields keep their names and shapes on the wire (times as Timestamps aside).
  Holds<Same<Pick<TodoRecord, "id" | "title" | "description" | "tags">, Pick<Todo__Output, "id" | "title" | "description" | "tags">>>,
  // The original's ToDo carries a subset of todo.v1's fields, under the same names.
  Holds<Same<Exclude<keyof ToDo__Output, keyof Todo__Output>, never>>,
  // order_by names todo.v1 fields.
  Holds<Same<Exclude<OrderField, keyof Todo__Output>, never>>,
];
