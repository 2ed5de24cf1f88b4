// The documents of the MongoDB store: the shapes it writes and reads (a todo with its pending events, an
// event of the log), the collections and indexes, and the mapping between documents and the domain's
// todos and changes. No I/O here. The protocol these serve: docs/events.md, "The MongoDB write protocol".
import { type Filter, ObjectId, type UpdateFilter } from "mongodb";
import type { TodoFields, TodoRecord } from "../../todos/model";
import { ID_PATTERN, ORDER_FIELDS, type State, STATES } from "../../vocabulary/todo";
import { UnreadableTodoError } from "../../todos/errors";
import { changeOf, USER_FIELDS } from "../../todos/changes";
import type { Change, ChangeKind, TodoEvent } from "../../todos/ports";
import { ORIGINAL_STATES, REMINDER_SECONDS } from "./original-data";

/** A todo as this store writes it. Documents of other shapes may be found too: see `toRecord`. */
export interface TodoDocument {
  _id: ObjectId;
  title: string;
  description: string;
  tags: string[];
  reminder: Date | null;
  state: State;
  create_time: Date;
  update_time: Date;
  version: number;
  /** The short number (docs/short-numbers.md); missing until the upgrade numbers a todo of an earlier release. */
  number?: number;
}

/** A write's event while it waits in its todo's document to be sequenced into the log. */
export interface PendingEvent {
  event_id: string;
  kind: ChangeKind;
  /** The todo's version after the write (a delete's: the deleted version plus one). */
  version: number;
  time: Date;
  actor: string;
  changed_fields: string[];
  /** The todo after the write (for a delete: as it was), as its document stores it. */
  todo: TodoDocument;
  /** A reminder_due event's reminder time. */
  reminder?: Date;
}

/**
 * A document of the todos collection: the todo and its pending events (none in documents of earlier
 * releases). A tombstone (`deleted`) keeps only _id, version, update_time, pending and the number.
 * `seq` is its change number (random at its insert, one more at each change, each claimed first: claims.ts).
 */
export type StoredDocument = TodoDocument & { pending?: PendingEvent[]; deleted?: true; reminder_due?: Date | null; seq?: number };

/**
 * A document's pending events as a write of this process left them, at the change number it wrote:
 * sequencing takes them from here rather than reading the document (see Sequencing's `wrote`).
 */
export type PendingSnapshot = Pick<StoredDocument, "_id" | "pending" | "seq">;

/** An event in the log; `_id` is its position. */
export interface EventDocument extends Omit<PendingEvent, "reminder"> {
  _id: number;
  /** The todo's id (hex), as TodoEvent.todoId. */
  todo_id: string;
  /**
   * A reminder_due event's reminder time; null for a write's (written, not left out: FerretDB's unique
   * index does not compare a missing field, so (todo_id, version, null) would not be unique). Missing in
   * events of earlier releases.
   */
  reminder?: Date | null;
}

export const COLLECTION = "todos";
/** The event log. */
export const EVENTS = "events";
/**
 * One document, {_id: "events", position}: a lower bound of the log's head, raised ($max) after each
 * insert into `events`. Reading it is one lookup by _id; the highest _id of `events` is a scan on
 * FerretDB, which does not push sorts down, and readers ask for the head several times a second.
 */
export const LOG_HEAD = "event_log_head";
/**
 * The short numbers, {_id: todo id hex, number}: a number is claimed by inserting its document (only a
 * unique insert is atomic on FerretDB); `_id` gives a todo one number for good, the unique index on
 * `number` one todo to a number. Documents are never removed, so a number is never reused. Keyed by the
 * todo because FerretDB 1.24 finds by `_id` alone without reading the whole collection, and a create
 * with a kept id (every CLI create, and every retry) must learn whether its todo holds one.
 */
export const NUMBERS = "numbers";
/** A short number's claim in NUMBERS: todo `_id` (hex) holds `number`. */
export interface NumberDocument {
  _id: string;
  number: number;
}
/** Documents per bulk command (insertMany, bulkWrite): FerretDB 1.24 hangs on 200. */
export const BULK_SLICE = 100;
/**
 * Updates per bulkWrite of sequencing. FerretDB 1.24 holds one connection of the database's pool of
 * 100 per update statement until the whole command ends (msg_update.go defers each statement's
 * iterator), so one bulk of 100 updates, or two of 60 at once, waits for a connection forever and
 * the database with it. 20 leaves room for several daemons' bulks and their other calls.
 */
export const UPDATE_SLICE = 20;

/**
 * The indexes, created at start when missing (indexes.ts says why never again when present).
 * One (field, _id) index per search order serves both directions and keyset pages; its prefix also
 * serves filters on reminder and update_time, so those need no single-field index of their own.
 */
export const INDEXES: { name: string; key: Record<string, 1> }[] = [
  { name: "state", key: { state: 1 } },
  { name: "tags", key: { tags: 1 } },
  ...ORDER_FIELDS.map((field) => ({ name: `${field}__id`, key: { [field]: 1 as const, _id: 1 as const } })),
  // The sweep for pending events left by a crashed daemon ("pending.time" older than the grace period).
  { name: "pending_time", key: { "pending.time": 1 } },
  // Armed reminders of todos not done, soonest first.
  { name: "state_reminder_due", key: { state: 1, reminder_due: 1 } },
];

/**
 * The log's unique indexes: what makes sequencing idempotent. Created before any event is inserted.
 * A write's event has `reminder: null`, so (todo_id, version) names one write; a reminder_due event is
 * at its todo's version too, told apart by its reminder, which also keeps out a second firing of the
 * same reminder (see fireDueReminders).
 */
export const LOG_INDEXES: { name: string; key: Record<string, 1>; unique: true }[] = [
  { name: "event_id", key: { event_id: 1 }, unique: true },
  { name: "todo_id_version_reminder", key: { todo_id: 1, version: 1, reminder: 1 }, unique: true },
];
/** The unique index of earlier releases, which LOG_INDEXES' second replaces: it refuses a reminder_due event. */
export const LEGACY_LOG_INDEX = "todo_id_version";
/** What keeps two claims of one short number apart (see NUMBERS). Created before any claim. */
export const NUMBER_INDEX = { name: "number", key: { number: 1 as const }, unique: true };

/** A stored value's kind, for an error about it. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a date";
  if (typeof value === "object") return `a ${(value as { _bsontype?: string })._bsontype ?? "document"}`;
  return `a ${typeof value} (${JSON.stringify(value)?.slice(0, 40)})`;
}

/**
 * The todo a stored document holds. A document of another shape is read as far as it can be: the
 * original todod's (reminder in Unix seconds, 0 for none; states without the STATE_ prefix; tags null or
 * missing; no times, so the ObjectId's; no version, so 1), as copied into this collection by hand, and
 * missing text fields as empty. What cannot be read is an UnreadableTodoError naming the id and the
 * field, never a TypeError that would answer INTERNAL.
 */
export function toRecord(doc: TodoDocument): TodoRecord {
  const stored = doc as unknown as Record<string, unknown>;
  const _id = stored._id;
  if (!(_id instanceof ObjectId)) throw new UnreadableTodoError(String(_id), "_id", `is ${kindOf(_id)}, not an ObjectId`);
  const id = _id.toHexString();
  const unreadable = (field: string, reason: string): never => {
    throw new UnreadableTodoError(id, field, reason);
  };
  const text = (field: string): string => {
    const value = stored[field] ?? "";
    return typeof value === "string" ? value : unreadable(field, `is ${kindOf(value)}, not a string`);
  };
  const time = (field: string, otherwise: number): number => {
    const value = stored[field] ?? null;
    if (value === null) return otherwise;
    return value instanceof Date && !Number.isNaN(value.getTime()) ? value.getTime() : unreadable(field, `is ${kindOf(value)}, not a date`);
  };
  const tags = stored.tags ?? [];
  if (!Array.isArray(tags)) unreadable("tags", `is ${kindOf(tags)}, not an array of strings`);
  const notText = (tags as unknown[]).find((tag) => typeof tag !== "string");
  if (notText !== undefined) unreadable("tags", `holds ${kindOf(notText)}, not only strings`);
  const reminder = stored.reminder ?? null;
  let reminderMs: number | null;
  if (reminder === null || reminder === 0) reminderMs = null;
  else if (reminder instanceof Date && !Number.isNaN(reminder.getTime())) reminderMs = reminder.getTime();
  else if (typeof reminder === "number" && Number.isSafeInteger(reminder) && reminder >= REMINDER_SECONDS.min && reminder <= REMINDER_SECONDS.max) reminderMs = reminder * 1000;
  else reminderMs = unreadable("reminder", `is ${kindOf(reminder)}, neither a date nor Unix seconds within the years 1 to 9999`);
  const state = stored.state ?? "STATE_NOT_STARTED";
  const knownState = (STATES as readonly unknown[]).includes(state) ? (state as State) : ORIGINAL_STATES[state as string];
  if (!knownState) unreadable("state", `is ${kindOf(state)}, not one of ${STATES.join(", ")}`);
  const version = stored.version ?? 1;
  if (!(typeof version === "number" && Number.isSafeInteger(version) && version >= 1)) unreadable("version", `is ${kindOf(version)}, not a whole number from 1`);
  const createTime = time("create_time", _id.getTimestamp().getTime());
  return {
    id,
    title: text("title"),
    description: text("description"),
    tags: tags as string[],
    reminder: reminderMs,
    state: knownState!,
    createTime,
    updateTime: time("update_time", createTime),
    version: version as number,
    number: typeof stored.number === "number" ? stored.number : 0,
  };
}

/** How states are stored: this store's names, and the original todod's in documents copied by hand (none reads as NOT_STARTED). */
export function storedStates(states: State[]): (string | null)[] {
  return states.flatMap((state) => [state, state.replace(/^STATE_/, ""), ...(state === "STATE_NOT_STARTED" ? [null] : [])]);
}

/**
 * A todo as this store writes it (without pending events): the one place that knows the document's
 * shape besides `toRecord`.
 */
export function toStored(todo: TodoRecord): TodoDocument {
  return {
    _id: ObjectId.createFromHexString(todo.id),
    title: todo.title,
    description: todo.description,
    tags: todo.tags,
    reminder: todo.reminder === null ? null : new Date(todo.reminder),
    state: todo.state,
    create_time: new Date(todo.createTime),
    update_time: new Date(todo.updateTime),
    version: todo.version,
    // Not yet numbered (0): left out, so a write never clears the number the upgrade gave meanwhile.
    ...(todo.number > 0 ? { number: todo.number } : {}),
  };
}

/** A write's event as it waits in its todo's document (`pending`) until sequencing moves it into the log. */
export function toPending(change: Change): PendingEvent {
  const pending: PendingEvent = {
    event_id: change.eventId,
    kind: change.kind,
    version: change.version,
    time: new Date(change.time),
    actor: change.actor,
    changed_fields: change.changedFields,
    todo: toStored(change.todo),
  };
  if (change.reminder !== undefined) pending.reminder = new Date(change.reminder);
  return pending;
}

export function toEventDocument(position: number, todoId: string, event: PendingEvent): EventDocument {
  const { event_id, kind, version, time, actor, changed_fields, todo, reminder } = event;
  return { _id: position, event_id, todo_id: todoId, kind, version, time, actor, changed_fields, todo, reminder: reminder ?? null };
}

export function toEvent(doc: EventDocument): TodoEvent {
  const event: TodoEvent = {
    position: doc._id,
    eventId: doc.event_id,
    kind: doc.kind,
    todoId: doc.todo_id,
    version: doc.version,
    time: doc.time.getTime(),
    actor: doc.actor,
    changedFields: doc.changed_fields,
    todo: toRecord(doc.todo),
  };
  if (doc.reminder) event.reminder = doc.reminder.getTime();
  return event;
}

/** The fields a tombstone drops. */
export const TOMBSTONE_UNSET = Object.fromEntries([...USER_FIELDS, "create_time", "reminder_due"].map((field) => [field, ""] as const));

/** A reminder as `reminder_due` holds it: armed (a Date) or not (null). */
export function armed(reminder: number | null): Date | null {
  return reminder === null ? null : new Date(reminder);
}

/**
 * The first event of a document without history (written by an earlier release, or copied in by hand in
 * the original todod's shape): created at the version it is served with.
 */
export function legacyCreated(doc: TodoDocument): Change {
  const todo = toRecord(doc);
  return changeOf("created", todo, { version: todo.version, time: todo.updateTime });
}

/** The next version of a live todo: its event, and the update that writes it (without the event). */
export interface NextWrite {
  change: Change;
  update: { $set: Record<string, unknown>; $unset?: Record<string, ""> };
}

/**
 * An update of `fields` to `current` (a todo as read): the next version and its updated event, naming
 * the fields given. The update writes the whole todo in this store's shape, so a document of a shape
 * `toRecord` only tolerates (the original todod's, copied by hand) is rewritten in this store's shape by
 * the same single-document write that bumps its version.
 */
export function updated(current: TodoRecord, fields: Partial<TodoFields>, now: number, actor?: string): NextWrite {
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<TodoFields>;
  const version = current.version + 1;
  const todo: TodoRecord = { ...current, ...given, updateTime: now, version };
  const { _id, ...stored } = toStored(todo);
  // A reminder moved to another time is armed again.
  const rearmed = todo.reminder !== current.reminder ? { reminder_due: armed(todo.reminder) } : {};
  return { change: changeOf("updated", todo, { version, time: now, actor, changedFields: Object.keys(given) }), update: { $set: { ...stored, ...rearmed } } };
}

/**
 * The compare-and-set that writes `next` over the live document `current` as read, with its event (see
 * docs/events.md, "The MongoDB write protocol"): on the version and `pending` as read, pushing the
 * event after the created event that a document without history gets first, at the version it was
 * read at. The one way this store, and `todo migrate`, write a new version of an existing todo.
 */
export function compareAndSet(current: StoredDocument, next: NextWrite): { filter: Filter<StoredDocument>; update: UpdateFilter<StoredDocument>; pending: PendingEvent[] } {
  const unlogged = current.pending === undefined ? [toPending(legacyCreated(current))] : [];
  const pushed = [...unlogged, toPending(next.change)];
  return {
    /** The document's pending events once this has applied. */
    pending: [...(current.pending ?? []), ...pushed],
    // A document of the original's shape has no version: null matches a missing field (toRecord reads it as 1).
    filter: { _id: current._id, version: current.version ?? null, deleted: { $ne: true }, pending: { $exists: current.pending !== undefined } } as Filter<StoredDocument>,
    update: { ...next.update, $push: { pending: { $each: pushed } } } as UpdateFilter<StoredDocument>,
  };
}

/** The ObjectId for a todo id, or null when it cannot be one (then no todo has it). */
export function objectId(id: string): ObjectId | null {
  return ID_PATTERN.test(id) ? ObjectId.createFromHexString(id) : null;
}
