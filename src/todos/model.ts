// The domain's view of a todo, independent of transport and store. Its states and order fields are the
// vocabulary's (src/vocabulary/todo.ts); src/wire/ checks at compile time that the proto agrees.
import type { OrderField, State } from "../vocabulary/todo";

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
  /**
   * The todo's short name in this store (1, 2, …): assigned at create, never reused, kept by a todo
   * created again under its id (docs/short-numbers.md). 0 only in events logged before numbers existed.
   */
  number: number;
}

export interface Order {
  field: OrderField;
  descending: boolean;
}
