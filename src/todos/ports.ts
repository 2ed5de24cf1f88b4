// The ports the application core needs from a store. The core owns them; each adapter in
// src/store/<adapter>/ implements them, and src/store/contract.ts holds every adapter to them. Every
// write returns the change record it produced, versioned per todo, so the event log is fed from exactly
// what was written.
import type { Order, State, TodoFields, TodoRecord } from "./model";

export type ChangeKind = "created" | "updated" | "deleted";

export interface Change {
  kind: ChangeKind;
  todoId: string;
  /** The todo's version after the write (for a delete: the version that was deleted, plus one). */
  version: number;
  /** Milliseconds since the epoch. */
  time: number;
  /** The todo after the write; for a delete, the todo as it was. */
  todo: TodoRecord;
}

/** The text fields a search pattern can be matched against. */
export type PatternField = "title" | "description";

export interface SearchQuery {
  /** A validated RE2 pattern, matched against any of `patternFields`. */
  pattern?: string;
  /** Where `pattern` is matched; default title and description (v1.ToDoService matches description only). */
  patternFields?: readonly PatternField[];
  /** Every one of these tags. */
  tags: string[];
  /** Any of these states; empty means any state. */
  states: State[];
  /** Reminder at or after (milliseconds). */
  reminderAfter?: number;
  /** Reminder before (milliseconds). */
  reminderBefore?: number;
  order: Order;
  /** Continue after this todo: its sort key value and id, from the previous page's last todo. */
  after?: { key: string | number | null; id: string };
  limit: number;
}

export interface SearchPage {
  todos: TodoRecord[];
  /** True when more todos match after the last one returned. */
  more: boolean;
}

export interface TodoStore {
  /** Creates a todo. With `id`, keeps it (import) and fails with AlreadyExistsError if it is taken. */
  create(fields: TodoFields, id?: string): Promise<Change>;
  /** The todo, or null. */
  get(id: string): Promise<TodoRecord | null>;
  /**
   * Replaces the given fields. Throws NotFoundError for an unknown id and VersionMismatchError when
   * `expectedVersion` is given and differs from the stored version; neither writes anything.
   */
  update(id: string, fields: Partial<TodoFields>, expectedVersion?: number): Promise<Change>;
  /** Deletes a todo; same errors as update. */
  delete(id: string, expectedVersion?: number): Promise<Change>;
  /** Stops early, with CancelledError, once `signal` is aborted (the caller left or its deadline passed). */
  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchPage>;
  /** Resolves when the store answers; rejects with UnavailableError when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
