// The ports the application core needs from a store. The core owns them; each adapter in
// src/store/<adapter>/ implements them, and test/contracts/store-contract.ts (todos) and test/contracts/log-contract.ts
// (the event log) hold every adapter to them. Every write records exactly one event, committed with
// the write or not at all (docs/events.md says how each store keeps that promise).
import type { State } from "../vocabulary/todo";
import type { Order, TodoFields, TodoRecord } from "./model";

/** A write's kind, or `reminder_due`: a todo's reminder passed while it was not done (the todo is unchanged). */
export type ChangeKind = "created" | "updated" | "deleted" | "reminder_due";

/** What one write did: the event it recorded, before the log gives it a position. */
export interface Change {
  /** A UUID. */
  eventId: string;
  kind: ChangeKind;
  todoId: string;
  /** The todo's version after the write (for a delete: the version that was deleted, plus one). */
  version: number;
  /** Milliseconds since the epoch. */
  time: number;
  /** Who wrote: the call's principal; empty without authentication. */
  actor: string;
  /** For an update, the fields it replaced, in the domain's names (title, tags, …); else empty. */
  changedFields: string[];
  /** The todo after the write; for a delete, the todo as it was. */
  todo: TodoRecord;
  /** For `reminder_due`: the reminder time that passed (milliseconds). */
  reminder?: number;
}

/** A change in the log: positions start at 1 and have no gaps. */
export interface TodoEvent extends Change {
  position: number;
}

export interface CreateOptions {
  /** Keep this id (an import). */
  id?: string;
  /** Keep these times (an import of an export), in milliseconds; default: now. */
  times?: { createTime: number; updateTime: number };
}

export interface WriteOptions {
  /** Recorded on the event. */
  actor?: string;
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

/**
 * What one call has spent so far of the store's search budget, in milliseconds. The store searches
 * that fill one page (app.ts reads a page in chunks) share it, so the budget bounds the whole call, not
 * each chunk: a store adds each search's time to it and gives a search only what is left.
 */
export interface SearchSpending {
  ms: number;
}

export interface SearchPage {
  todos: TodoRecord[];
  /** True when more todos match after the last one returned. */
  more: boolean;
}

export interface TodoStore extends EventLog, ReminderStore {
  /**
   * Creates a todo. With `id`, keeps it (import) and fails with AlreadyExistsError if it is taken; an
   * id that was deleted is taken again, its versions continuing after the deleted one.
   */
  create(fields: TodoFields, options?: WriteOptions & CreateOptions): Promise<Change>;
  /** The todo, or null. */
  get(id: string): Promise<TodoRecord | null>;
  /**
   * Replaces the given fields. Throws NotFoundError for an unknown id and VersionMismatchError when
   * `expectedVersion` is given and differs from the stored version; neither writes anything.
   */
  update(id: string, fields: Partial<TodoFields>, options?: WriteOptions & { expectedVersion?: number }): Promise<Change>;
  /** Deletes a todo; same errors as update. */
  delete(id: string, options?: WriteOptions & { expectedVersion?: number }): Promise<Change>;
  /**
   * Stops early, with CancelledError, once `signal` is aborted (the caller left or its deadline passed),
   * and with SearchBudgetError once `spending` (shared by a call's searches) reaches the store's budget.
   */
  search(query: SearchQuery, signal?: AbortSignal, spending?: SearchSpending): Promise<SearchPage>;
  /** Resolves when the store answers; rejects with UnavailableError when it does not. */
  ping(): Promise<void>;
  /**
   * Why writes cannot succeed while reads still do (the embedded store's disk is full), or null. Called
   * by readiness every few seconds, so a store may look here whether the cause has gone.
   */
  degraded?(): string | null;
  /** Named leases kept in this store, so daemons sharing it can agree on who does a job. */
  leases(): Leases;
  close(): Promise<void>;
}

/**
 * The log every write appends to. Positions are assigned so that a reader never passes a gap that
 * fills later: every event at or below the head is committed and visible.
 */
export interface EventLog {
  /** Up to `limit` events with a position above `after`, in position order. */
  readEvents(after: number, limit: number): Promise<TodoEvent[]>;
  /** The highest position a reader can see now (0 for an empty log). */
  headPosition(): Promise<number>;
  /**
   * Events this store's writes committed that it has not yet seen in the log (docs/events.md, "Lag"):
   * only a store that positions events after the write (MongoDB's) has any.
   */
  lag?(): number;
  /**
   * A store that positions events after the write (MongoDB's) calls `listener` with the head each time
   * this process has put events into the log, so a watcher of this process's writes need not poll for
   * them. Returns what stops it.
   */
  onHeadMoved?(listener: (head: number) => void): () => void;
  /**
   * Resolves once every event committed before the call is in the log (a store that positions events
   * after the write, as MongoDB's does, finishes that first; elsewhere it resolves at once).
   */
  settle(): Promise<void>;
  /**
   * Writes events read from another store's log, ids and positions kept, and applies each to the todos
   * (`todo replay`). For an empty store only; each batch continues where the log ends.
   */
  replay(events: TodoEvent[]): Promise<void>;
}

/**
 * Reminders that fire (docs/events.md, "Reminders"). A todo's reminder is armed when it is created with
 * one or the reminder moves to another time, and disarmed when it fires: once, appending a `reminder_due`
 * event without changing the todo, and not while the todo is DONE. Across store objects (daemons) on
 * one database, each armed reminder fires once.
 */
export interface ReminderStore {
  /**
   * Fires up to `limit` armed reminders of todos not DONE due at or before `now` (milliseconds), the
   * soonest, and returns the events appended.
   */
  fireDueReminders(now: number, limit: number): Promise<Change[]>;
  /** The soonest armed reminder of a todo not DONE (milliseconds), or null when there is none. */
  nextReminderDue(): Promise<number | null>;
}

/** Follows the log for watchers: the events after a position, then new ones as they commit. */
export interface EventFeed {
  /**
   * The events after position `after` that `matches` accepts, in position order, until `signal` aborts
   * or the feed closes (then it throws UnavailableError naming the position to resume after).
   */
  follow(after: number, matches: (event: TodoEvent) => boolean, signal: AbortSignal): AsyncIterable<TodoEvent>;
  /** This process wrote: look at the log now instead of at the next poll. */
  written(): void;
}

/** A named lease as stored: who holds it until when, and how far its holder's work is done. */
export interface LeaseState {
  /** The holder's id; empty before anyone took it. */
  holder: string;
  /** Milliseconds since the epoch, by the clock of the daemon that last took or renewed it. */
  expiresAt: number;
  /** A position the work is done up to (the relay: the last event the broker confirmed). */
  checkpoint: number;
}

/**
 * Leases one holder at a time has, arbitrated by the store with single-document conditional writes
 * (test/contracts/lease-contract.ts holds every adapter to it). Each call returns whether it took effect.
 */
export interface Leases {
  /** Takes lease `name` for `holder` until now + `ttlMs` if it is free, expired or `holder`'s already: its checkpoint, or null when another holds it. */
  acquire(name: string, holder: string, ttlMs: number): Promise<{ checkpoint: number } | null>;
  /** Extends `holder`'s lease to now + `ttlMs`; false when `holder` no longer holds it. */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Raises the checkpoint to `position` (never lowers it) while `holder` holds the lease; false when it does not. */
  checkpoint(name: string, holder: string, position: number): Promise<boolean>;
  /** Ends `holder`'s lease now, keeping its checkpoint, so another may take it at once. */
  release(name: string, holder: string): Promise<void>;
  read(name: string): Promise<LeaseState | null>;
}
