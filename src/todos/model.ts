// The domain's view of a todo, independent of transport and store. Field names and the state enum
// come from the proto's generated types.
import type { _todo_v1_Todo_State__Output as ProtoState } from "../proto/gen/types/todo/v1/Todo";

/** A todo's state as stored; STATE_UNSPECIFIED never reaches a store. */
export type State = Exclude<ProtoState, "STATE_UNSPECIFIED">;
export const STATES: readonly State[] = ["STATE_NOT_STARTED", "STATE_IN_PROGRESS", "STATE_DONE"];

/** The fields a user writes. */
export interface TodoFields {
  title: string;
  description: string;
  tags: string[];
  /** Milliseconds since the epoch, or null for no reminder. */
  reminder: number | null;
  state: State;
}

/** A stored todo: the user's fields plus what the store maintains. */
export interface TodoRecord extends TodoFields {
  id: string;
  /** Milliseconds since the epoch. */
  createTime: number;
  updateTime: number;
  /** Starts at 1 and grows by one on every write; the etag is derived from it. */
  version: number;
}

export const ORDER_FIELDS = ["create_time", "update_time", "reminder", "title"] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

export interface Order {
  field: OrderField;
  descending: boolean;
}
