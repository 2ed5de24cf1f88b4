// The MongoDB store: one document per todo in the `todos` collection, `_id` an ObjectId whose hex is the
// todo's id, `version` in the document so optimistic concurrency is a filter on {_id, version} that
// MongoDB applies atomically. Searches run on the server (regex, $all, $in, keyset pages on an index).
// The client connects lazily and the driver reconnects by itself, so the daemon starts while MongoDB is
// down and recovers when it returns; meanwhile every call fails fast with UnavailableError.
//
// Tested against FerretDB (the MongoDB wire protocol on SQLite); it uses only what real MongoDB supports.
//
// THE EVENT LOG. Every write records one event; a second collection, `events`, is the log with positions.
// Neither FerretDB nor the deployments we target have multi-document transactions or change streams,
// and several daemons may write to one database at once, so a write and its event commit in one
// single-document write, and events reach the log afterwards, in two idempotent steps.
//
// Guarantees: exactly one event per committed write and none without its write, also across kill -9 at
// any point; positions from 1 without gaps, and a reader resuming after position P never misses an event
// even with several daemons writing; per todo, events in version order; (todo id, version) unique.
//
// 1. The write. Each write puts its event into the todo's own document, in the same single-document
//    write (atomic on any MongoDB): `pending` is the array of the document's events not yet in the log
//    (event_id, kind, version, time, actor, changed_fields, and the todo as stored fields).
//    - create: insertOne of the document with `pending: [created]`.
//    - update: read the document, compute the new todo and the event, then updateOne({_id, version: v,
//      deleted: {$ne: true}, pending: {$exists: …as read}}, {$set: the todo's fields at version v + 1,
//      $push: {pending: event}}). Nothing matched means another writer came first: read again and retry
//      (a bounded number of times); the re-read answers NotFound or VersionMismatch when it should.
//      The $set holds every field of the todo, so a document of a shape `toRecord` only tolerates (the
//      original todod's, copied in by hand: no times, no version, reminder in seconds) leaves this write
//      in the store's shape; its version as served (1 when it has none, the condition then version:
//      null) is what the write compares, so its etag holds. A document `toRecord` cannot read fails
//      the write (UnreadableTodoError) before anything is written.
//    - delete: the same compare-and-set, turning the document into a tombstone {_id, version: v + 1,
//      deleted: true, update_time, pending}: the user fields and create_time are unset, and the deleted
//      event (the todo as it was) is pushed. Tombstones stay, keeping the id's last version: get, search
//      and the writes ignore them; a create with that id revives the tombstone with {_id, deleted: true,
//      version} as its condition, the version continuing after the deleted one (as in the SQLite store).
//    - Documents of earlier releases have no `pending` and no history, nor do documents of the original
//      todod copied in by hand. An upgrade gives each one `pending: [created at its current version]`
//      with the condition {_id, version, pending: {$exists: false}}, so any number of daemons agree; a
//      write to such a document pushes that created event (the todo as read, in the store's shape)
//      before its own, in the same compare-and-set. `todo migrate` (migrate-original.ts) writes its
//      copies the same way: a new one with `pending: [created]`, a changed one by this compare-and-set.
//    - Reads never return `pending`.
//    FerretDB 1.x applies an update as a read, then a replacement of the whole document by _id, so
//    conditions are not atomic there: this process runs its writes to one todo, and its removals of
//    that todo's sequenced events, one after another (`serialized`); daemons sharing one FerretDB can
//    still overwrite each other's writes to the same todo. Real MongoDB applies each update atomically.
//
// 2. Sequencing moves pending events into `events` {_id: position, event_id, todo_id (hex), kind,
//    version, time, actor, changed_fields, todo, reminder}, with unique indexes on event_id and
//    (todo_id, version, reminder): reminder is null but for a reminder_due event (see fireDueReminders).
//    A pass reads a batch of documents with pending events and takes their events, each document's in
//    array (= version) order:
//    a. Insert them at positions head + 1, head + 2, … where head is the last position this pass
//       inserted, else the highest _id in `events`: one ordered insertMany, which inserts one document
//       after another and stops at the first error. A duplicate key on event i: the events before it
//       are in. If event i is in the log already (by event_id, or by (todo_id, version, reminder)), leave it out;
//       else another daemon took its position: read the head again. Then go on with the rest. (FerretDB
//       1.24 does not say which index a duplicate key broke, so the store looks for the event rather
//       than reading keyPattern.) A sweep first leaves out, with one read, the events the log has.
//    b. Then remove them from their documents: updateOne({_id}, {$pullAll: {pending: [the events as
//       read]}}) takes off exactly those (compared as whole values, on MongoDB as on FerretDB) and
//       nothing pushed since; one unordered bulkWrite per UPDATE_SLICE documents, so a pass costs a
//       few commands per hundred events, none per event. (Not $pull with a condition: FerretDB 1.24
//       compares $pull's value as a whole too, so a condition matches nothing.) New events are pushed
//       at the end, so the first pending event is always the oldest.
//    No gaps: position p is inserted only after p - 1 was seen committed (this pass inserted it, or read
//    it as the highest), so committed positions are always 1..head and each new one is head + 1;
//    concurrent sequencers collide on the unique _id and retry. Positions thus follow commit order, and
//    a reader that saw head H has seen every event up to H. Per-todo order: an event is inserted only
//    after every earlier pending event of its todo is in the log. A crash between a and b leaves events
//    pending: the next sequencing of their document finds them in the log and just removes them.
//    When: after each write this process enqueues the todo (the write does not wait), and one loop per
//    store sequences what is queued, one pass at a time (sequencer.ts), reading the queued todos in one
//    query per IDS_PER_READ. FerretDB 1.24 on SQLite pushes down no filter but one _id equality, so
//    each other query is a scan of the collection: a pass's cost follows its queries, not its events.
//    `lag` counts this store's events not yet seen in the log (docs/events.md, "Lag"). Every 2 s a sweep
//    sequences the documents whose oldest pending event is older than 5 s, which a crashed daemon left
//    (younger ones are their writer's, whom the sweep would only race); while sweeps find none, the
//    wait doubles up to 16 s (each is a scan on FerretDB, which an idle daemon should leave idle); at open and then every minute the sweep also
//    runs the upgrade. flush() runs a full sweep and the upgrade, and resolves when they are done.
//    While MongoDB is away, passes fail and the timer backs off (up to 30 s); `warn` hears of it once.
//    close() lets the pass for the last writes finish (up to callTimeoutMS), then stops.
//
// 3. The log: readEvents(after, limit) reads `events` by _id; headPosition() is the highest _id, or 0.
//    Only sequenced events are in the log, so every position up to the head is committed and visible.
//    replay() writes events read from another store into an empty one, positions and ids kept: first
//    each event's effect on its todo (a document with `pending: []`, or a tombstone), then the events,
//    so a replay that stops half-way can start again where the log ends.
import { AsyncLocalStorage } from "node:async_hooks";
import {
  type Collection,
  type Document,
  type Filter,
  MongoClient,
  MongoBulkWriteError,
  MongoClientClosedError,
  type MongoClientOptions,
  MongoError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  ObjectId,
  type Sort,
  type UpdateFilter,
} from "mongodb";
import { newId } from "../../todos/id";
import type { TodoFields, TodoRecord } from "../../todos/model";
import { ID_PATTERN, ORDER_FIELDS, type OrderField, type State, STATES } from "../../vocabulary/todo";
import { AlreadyExistsError, NotFoundError, OutcomeUnknownError, SearchBudgetError, UnavailableError, UnreadableTodoError, VersionMismatchError } from "../../todos/errors";
import { changeOf, reminderDueOf, USER_FIELDS } from "../../todos/changes";
import type { Change, ChangeKind, CreateOptions, Leases, SearchPage, SearchQuery, SearchSpending, TodoEvent, TodoStore, WriteOptions } from "../../todos/ports";
import { ORIGINAL_STATES, originalTodosWaiting, REMINDER_SECONDS, watchOriginalTodos } from "./original-data";
import { redactUrl, scrub, secretsOf } from "../../secrets/redact";
import { Sequencer, type Work } from "./sequencer";
import { LEASES, MongoLeases } from "./leases";

export interface MongoStoreOptions {
  /** A MongoDB connection string (mongodb:// or mongodb+srv://). */
  url: string;
  /** Database when the URL's path names none (MONGO_DB); default `todo`. */
  database?: string;
  /** How long a call waits for a reachable server before failing with UnavailableError. Default 2 s. */
  serverSelectionTimeoutMS?: number;
  /** Server-side time limit (maxTimeMS) of one search: a costly regex runs on MongoDB; past it, SearchBudgetError. Default 5 s. */
  searchTimeoutMS?: number;
  /** Longest a call may take before it fails with UnavailableError (searches: plus searchTimeoutMS). Default serverSelectionTimeoutMS + 1 s. */
  callTimeoutMS?: number;
  /**
   * Longest a ping (the readiness check) waits before it answers UnavailableError with the cause
   * the driver last saw. Default 1.5 s: within the 2 s readiness allows (src/server/health.ts).
   */
  pingTimeoutMS?: number;
  /** Receives the problems no call reports (indexes that cannot be created), for the daemon's log. */
  warn?: (message: string) => void;
  /**
   * Asks the store to look for the original todod's todos (see original-data.ts) and tell their count
   * here while its own collection is empty (0 otherwise), for the daemon's metric; `warn` says so once.
   */
  originalTodos?: (count: number) => void;
  /** Told the name of each command the store starts on MongoDB (for todo_mongo_commands_total). */
  commandStarted?: (command: string) => void;
}

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
 */
export type StoredDocument = TodoDocument & { pending?: PendingEvent[]; deleted?: true; reminder_due?: Date | null };

/** An event in the log; `_id` is its position. */
interface EventDocument extends Omit<PendingEvent, "reminder"> {
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
/** Documents per bulk command (insertMany, bulkWrite): FerretDB 1.24 hangs on 200. */
export const BULK_SLICE = 100;
/**
 * Updates per bulkWrite of sequencing. FerretDB 1.24 holds one connection of the database's pool of
 * 100 per update statement until the whole command ends (msg_update.go defers each statement's
 * iterator), so one bulk of 100 updates, or two of 60 at once, waits for a connection forever and
 * the database with it. 20 leaves room for several daemons' bulks and their other calls.
 */
const UPDATE_SLICE = 20;
const DEFAULT_DATABASE = "todo";

/**
 * The indexes, created at start and on every open (createIndexes is a no-op for an identical index).
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
const LEGACY_LOG_INDEX = "todo_id_version";
const INDEX_NOT_FOUND = 27;

/**
 * The names of `collection`'s indexes (none while it does not exist). Indexes are created only when
 * missing: on FerretDB 1.24 every createIndexes and dropIndexes, even of an index that exists, holds the
 * server-wide metadata lock while it waits for a connection to the database and its write lock; a
 * store opening while others write there could stop every database on the server (docs/events.md).
 */
async function indexNames<T extends Document>(collection: Collection<T>): Promise<Set<string>> {
  try {
    return new Set((await collection.listIndexes().toArray()).map((index) => index.name as string));
  } catch (e) {
    if (e instanceof MongoServerError && (e.code === NAMESPACE_NOT_FOUND || e.codeName === "NamespaceNotFound")) return new Set();
    throw e;
  }
}
const NAMESPACE_NOT_FOUND = 26;

/**
 * Connections (so commands at once) per store unless MONGO_URL sets maxPoolSize; the driver's default is
 * 100. FerretDB 1.24 gives a database 100 SQLite connections and an update statement holds one until its
 * whole command ends while it needs another to write: about 100 statements at once on one database
 * (8 bulks of 20 updates were enough) wait for each other for good (docs/events.md). 24 commands and
 * one sequencing bulk of UPDATE_SLICE keep a daemon near 45, and leave room for a second.
 */
const POOL_SIZE = 24;
/** How often a write retries its compare-and-set when another writer came first (no expected version). */
const WRITE_ATTEMPTS = 10;
/** How often sequencing retries a position another daemon took before the pass gives up (and is retried). */
const APPEND_ATTEMPTS = 100;
/** Reminders one store fires at once (each its own compare-and-set). */
const FIRE_CONCURRENCY = 4;
/** Documents per query of a sweep or the upgrade (on FerretDB each query is a scan of the collection). */
const SWEEP_BATCH = 1000;
/** Written todos per query of a pass (one scan of the collection on FerretDB, whatever the number). */
const IDS_PER_READ = 1000;
/** The lag (see `lag`) above which, held for LAG_DEGRADED_MS, the store says it is degraded. */
const LAG_DEGRADED_EVENTS = 1000;
const LAG_DEGRADED_MS = 10_000;
const SWEEP_INTERVAL_MS = 2000;
/** While timer sweeps find nothing, they come less often, up to this (a sweep is a scan on FerretDB). */
const SWEEP_MAX_IDLE_MS = 16_000;
/** A timer sweep leaves younger pending events to the daemon that wrote them. */
const SWEEP_GRACE_MS = 5000;
const SWEEP_MAX_BACKOFF_MS = 30_000;
/** The time limit of one call of sequencing (see `background`). */
const BACKGROUND_CALL_MS = 30_000;
const UPGRADE_EVERY_MS = 60_000;

/** Server error codes that mean "not serving now" (shutting down, stepping down, interrupted, overloaded). */
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 462]);
const DUPLICATE_KEY = 11000;
const MAX_TIME_EXPIRED = 50;
const AUTHENTICATION_FAILED = 18;

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
function storedStates(states: State[]): (string | null)[] {
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

function toEventDocument(position: number, todoId: string, event: PendingEvent): EventDocument {
  const { event_id, kind, version, time, actor, changed_fields, todo, reminder } = event;
  return { _id: position, event_id, todo_id: todoId, kind, version, time, actor, changed_fields, todo, reminder: reminder ?? null };
}

function toEvent(doc: EventDocument): TodoEvent {
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
const TOMBSTONE_UNSET = Object.fromEntries([...USER_FIELDS, "create_time", "reminder_due"].map((field) => [field, ""] as const));

/** Todos whose armed reminder may fire (the state_reminder_due index's prefix). */
const NOT_DONE = { state: { $in: storedStates(["STATE_NOT_STARTED", "STATE_IN_PROGRESS"]) } };

/** A reminder as `reminder_due` holds it: armed (a Date) or not (null). */
function armed(reminder: number | null): Date | null {
  return reminder === null ? null : new Date(reminder);
}

/**
 * The first event of a document without history (written by an earlier release, or copied in by hand in
 * the original todod's shape): created at the version it is served with.
 */
function legacyCreated(doc: TodoDocument): Change {
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
 * the protocol above): on the version and `pending` as read, pushing the event after the created event
 * that a document without history gets first, at the version it was read at. The one way this store,
 * and `todo migrate`, write a new version of an existing todo.
 */
export function compareAndSet(current: StoredDocument, next: NextWrite): { filter: Filter<StoredDocument>; update: UpdateFilter<StoredDocument> } {
  const unlogged = current.pending === undefined ? [toPending(legacyCreated(current))] : [];
  return {
    // A document of the original's shape has no version: null matches a missing field (toRecord reads it as 1).
    filter: { _id: current._id, version: current.version ?? null, deleted: { $ne: true }, pending: { $exists: current.pending !== undefined } } as Filter<StoredDocument>,
    update: { ...next.update, $push: { pending: { $each: [...unlogged, toPending(next.change)] } } } as UpdateFilter<StoredDocument>,
  };
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/** The ObjectId for a todo id, or null when it cannot be one (then no todo has it). */
function objectId(id: string): ObjectId | null {
  return ID_PATTERN.test(id) ? ObjectId.createFromHexString(id) : null;
}

/** A sort key as stored: times are Dates, titles strings, a missing reminder null. */
function storedKey(field: OrderField, key: string | number | null): string | Date | null {
  if (key === null) return null;
  return field === "title" ? String(key) : new Date(key);
}

/** The URL's database path, if it has one. */
function databaseInUrl(url: string): string | undefined {
  const rest = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, "");
  const path = /^[^/?]*\/([^?]+)/.exec(rest.slice(rest.lastIndexOf("@") + 1))?.[1];
  return path ? decodeURIComponent(path) : undefined;
}

/** The database the store uses: the URL's, else `database` (MONGO_DB), else `todo`. */
export function storeDatabase(url: string, database?: string): string {
  return databaseInUrl(url) || database || DEFAULT_DATABASE;
}

/**
 * Whether a call has sent a write: after that, a failure without the server's answer is an unknown
 * outcome. A call that has given up (past its limit, having sent nothing) sends nothing more, so
 * UnavailableError ("nothing was written") stays true however late the rest of it runs.
 */
class WriteTracker {
  sent = false;
  abandoned = false;

  /** Call before each command: a call that gave up does no more work (its caller has its answer). */
  going() {
    if (this.abandoned) throw new UnavailableError("the call gave up");
  }

  /** Call right before sending a write command. */
  sending() {
    this.going();
    this.sent = true;
  }
}

/**
 * Calls that gave up on their answer (run(): past their limit) while a serialized write was under way:
 * the write's turn lasts until they end too, as a command still queued at the server may yet apply.
 */
const lingeringCalls = new AsyncLocalStorage<Promise<unknown>[]>();

export class MongoStore implements TodoStore {
  private readonly clientOptions: MongoClientOptions = { appName: "todo" };
  private readonly database: string;
  private client!: MongoClient;
  private todos!: Collection<StoredDocument>;
  private events!: Collection<EventDocument>;
  private logHead!: Collection<{ _id: string; position: number }>;
  private numbers!: Collection<{ _id: string; number: number }>;
  /** The last number this store claimed: the next claim tries the one after it first. */
  private lastNumber = 0;
  /** Reading the highest number taken, once before this process hands out its first. */
  private numbering: Promise<void> | null = null;
  private readonly secrets: string[];
  private readonly callTimeoutMS: number;
  private readonly searchTimeoutMS: number;
  private readonly pingTimeoutMS: number;
  /**
   * Why the driver last could not use the server (a UnavailableError's message), or null since it
   * last could: what a ping that cannot wait for server selection reports.
   */
  private unreachable: string | null = null;
  /** The connection of the current client: in flight or done; reset after a failure. */
  private connected: Promise<void> | null = null;
  /** Index creation: in flight, done, or failed for good; reset after a transient failure. */
  private indexed: Promise<void> | null = null;
  /** The last queued write per todo id (see `serialized`). */
  private readonly writes = new Map<string, Promise<void>>();
  /** Stops looking for the original todod's todos (when `originalTodos` asked for it). */
  private stopLookingForOriginal = () => {};
  /** The log's unique indexes: in flight or done; reset after any failure (sequencing waits for them). */
  private logIndexed: Promise<void> | null = null;
  /** Runs the sequencing passes (see the protocol above). */
  private readonly sequencer = new Sequencer({
    pass: (work) => this.sequence(work),
    intervalMS: SWEEP_INTERVAL_MS,
    maxIdleMS: SWEEP_MAX_IDLE_MS,
    maxBackoffMS: SWEEP_MAX_BACKOFF_MS,
    upgradeEveryMS: UPGRADE_EVERY_MS,
    failing: (e) => this.options.warn?.(`cannot move events into ${this.database}.${EVENTS} yet (they wait in their todos; retrying): ${this.scrub((e as Error).message)}`),
  });
  /**
   * Per todo, the events this store's writes put into `pending` that no pass of this store has seen in
   * the log since: what `lag` counts.
   */
  private readonly unsequenced = new Map<string, number>();
  private unsequencedTotal = 0;
  /** Since when the lag has been at or above LAG_DEGRADED_EVENTS; null while it is below. */
  private laggingSince: number | null = null;
  /** MongoDB commands this store's clients started, by command name (driver command monitoring). */
  private readonly commands = new Map<string, number>();
  /** During a pass: the last position it inserted or read as the highest; null to read it again. */
  private head: number | null = null;
  private closed = false;
  /** Whether the server was asked what it is (see warnIfFerretDb). */
  private checkedServer = false;
  /** Where the store keeps its data, with the password redacted, for logs. */
  readonly description: string;

  /**
   * Opens a store without waiting for MongoDB: connecting and creating the indexes start in the
   * background and are retried by later calls. Throws only for a connection string the driver rejects.
   */
  static open(options: MongoStoreOptions): MongoStore {
    const store = new MongoStore(options);
    store.prepare().catch(() => {}); // calls report the failure, if it lasts
    const report = options.originalTodos;
    if (report)
      store.stopLookingForOriginal = watchOriginalTodos({
        count: () => store.run(() => originalTodosWaiting(store.client, store.todos)),
        report,
        warn: (message) => options.warn?.(message),
        collection: `${store.database}.${COLLECTION}`,
      });
    store.sequencer.start();
    return store;
  }

  private constructor(private readonly options: MongoStoreOptions) {
    this.secrets = secretsOf(options.url);
    // Options in the URL win over our defaults (the driver lets the options object win, so omit them).
    const inUrl = (name: string) => new RegExp(`[?&]${name}=`, "i").test(options.url);
    const serverSelectionTimeoutMS = options.serverSelectionTimeoutMS ?? (inUrl("serverSelectionTimeoutMS") ? undefined : 2000);
    if (serverSelectionTimeoutMS !== undefined) this.clientOptions.serverSelectionTimeoutMS = serverSelectionTimeoutMS;
    if (!inUrl("connectTimeoutMS")) this.clientOptions.connectTimeoutMS = 5000;
    if (!inUrl("maxPoolSize")) this.clientOptions.maxPoolSize = POOL_SIZE;
    this.callTimeoutMS = options.callTimeoutMS ?? (serverSelectionTimeoutMS ?? 30_000) + 1000;
    this.searchTimeoutMS = options.searchTimeoutMS ?? 5000;
    // Closes a connection silent for longer than any call may take (see `run`); never a live call's.
    if (!inUrl("socketTimeoutMS")) this.clientOptions.socketTimeoutMS = 2 * (this.callTimeoutMS + this.searchTimeoutMS);
    this.pingTimeoutMS = options.pingTimeoutMS ?? 1500;
    // Counts the commands (the metric todo_mongo_commands_total; bounded sequencing is tested on it).
    this.clientOptions.monitorCommands = true;
    this.database = storeDatabase(options.url, options.database);
    try {
      this.attach();
    } catch (e) {
      throw new Error(`MONGO_URL is not a usable MongoDB connection string (${redactUrl(options.url)}): ${this.scrub((e as Error).message)}`);
    }
    this.description = `mongodb ${redactUrl(options.url)} database ${this.database}`;
  }

  /** A new client (it connects on first use) and the collection through it. */
  private attach() {
    const client = new MongoClient(this.options.url, this.clientOptions);
    // The driver describes the server from its monitor's checks (every 500 ms while a call waits for
    // it) and from failed calls: a description with an error says why it cannot be used. What it last
    // said outlives a replaced client: it stays true until the server is described without an error.
    client.on("serverDescriptionChanged", ({ newDescription }) => {
      if (this.client !== client) return;
      if (!newDescription.error) {
        if (newDescription.type !== "Unknown") this.unreachable = null;
        return;
      }
      const meant = this.meaning(newDescription.error);
      this.unreachable =
        meant instanceof UnavailableError ? meant.message : `MongoDB at ${redactUrl(this.options.url)} cannot be used (${this.scrub(String((meant as Error)?.message))})`;
    });
    client.on("commandStarted", ({ commandName }) => {
      this.commands.set(commandName, (this.commands.get(commandName) ?? 0) + 1);
      this.options.commandStarted?.(commandName);
    });
    this.client = client;
    this.todos = this.client.db(this.database).collection<StoredDocument>(COLLECTION);
    this.events = this.client.db(this.database).collection<EventDocument>(EVENTS);
    this.logHead = this.client.db(this.database).collection(LOG_HEAD);
    this.numbers = this.client.db(this.database).collection(NUMBERS);
    this.connected = null;
  }

  /** Replaces `client` (if still current) with a new one, and closes it. */
  private replace(client: MongoClient) {
    if (this.client !== client) return;
    this.attach();
    void client.close().catch(() => {});
  }

  private scrub(text: string): string {
    return scrub(text, this.options.url, this.secrets);
  }

  /** Rethrows a driver error as the store error it means, with any secret removed. */
  private translate(error: unknown): never {
    // A mongodb+srv host that does not resolve fails in the resolver, before the driver wraps anything.
    const os = (error as NodeJS.ErrnoException)?.code;
    if (!(error instanceof MongoError) && typeof os === "string" && /^E[A-Z]{3,}$/.test(os))
      throw new UnavailableError(`MongoDB at ${redactUrl(this.options.url)} cannot be reached (${os}: ${this.scrub((error as Error).message)}); check the host in MONGO_URL`);
    if (!(error instanceof MongoError)) throw error;
    const message = this.scrub(error.message);
    const unavailable = (what: string) => new UnavailableError(`MongoDB at ${redactUrl(this.options.url)} ${what}`);
    if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError) {
      // The OS error (ECONNREFUSED, ENOTFOUND, …) says it all; the driver's sentence around it does not.
      const cause = /\b(E[A-Z]{3,})\b/.exec(message)?.[1] ?? message;
      throw unavailable(`cannot be reached (${cause}); the daemon retries by itself`);
    }
    if (error instanceof MongoServerError) {
      if (error.code === AUTHENTICATION_FAILED) throw unavailable(`refused the credentials in MONGO_URL (${message}); check the user and password`);
      // Only searches set maxTimeMS: the regex runs on the server, and this is its budget.
      if (error.code === MAX_TIME_EXPIRED) throw new SearchBudgetError(this.searchTimeoutMS);
      if (UNAVAILABLE_CODES.has(error.code as number)) throw unavailable(`cannot serve now (${message})`);
    }
    // Transient failures the driver labels (pool cleared, connection closed mid-call), and calls that
    // were in flight on a client the store replaced.
    if (
      error.hasErrorLabel("RetryableWriteError") ||
      error.hasErrorLabel("ResetPool") ||
      error.hasErrorLabel("PoolRequestedRetry") ||
      error instanceof MongoTopologyClosedError ||
      error instanceof MongoClientClosedError
    )
      throw unavailable(`cannot serve now (${message})`);
    error.message = message;
    throw error;
  }

  /** The store error a driver error means: what `translate` throws, returned. */
  private meaning(error: unknown): unknown {
    try {
      this.translate(error);
    } catch (e) {
      return e;
    }
  }

  /** Connects the current client, once per client. */
  private connect(): Promise<void> {
    if (!this.connected) {
      const client = this.client;
      this.connected = client.connect().then(
        () => undefined,
        (e) => {
          // Driver 7.9 keeps the closed topology of a failed first connect, so every later call on that
          // client fails with "Topology is closed". A new client connects once MongoDB is back. (After a
          // successful connect the driver reconnects by itself.)
          this.replace(client);
          throw e;
        },
      );
    }
    return this.connected;
  }

  /**
   * Creates the indexes (idempotent). While MongoDB is unreachable the next call tries again; any other
   * failure (say, an index of the same name with other keys) is final and reported once through `warn`:
   * searches still work, only slower.
   */
  private ensureIndexes(): Promise<void> {
    if (!this.indexed) {
      this.indexed = (async () => {
        // One index per command: FerretDB 1.24 panics on a createIndexes batch in which several indexes
        // already exist (FerretDB issue 3858); MongoDB takes either form.
        const existing = await indexNames(this.todos);
        for (const { name, key } of INDEXES) if (!existing.has(name)) await this.todos.createIndex(key, { name });
      })().catch((e) => {
        try {
          this.translate(e);
        } catch (error) {
          if (error instanceof UnavailableError) this.indexed = null;
          else this.options.warn?.(`cannot create the indexes of ${this.database}.${COLLECTION}: ${(error as Error).message}`);
          throw error;
        }
      });
    }
    return this.indexed;
  }

  /** The log's unique indexes (idempotent), one per command like the others; retried after any failure. */
  private ensureLogIndexes(): Promise<void> {
    if (!this.logIndexed) {
      const indexed = (async () => {
        const existing = await indexNames(this.events);
        for (const { name, key, unique } of LOG_INDEXES) if (!existing.has(name)) await this.events.createIndex(key, { name, unique });
        if (!(await indexNames(this.numbers)).has("number")) await this.numbers.createIndex({ number: 1 }, { name: "number", unique: true });
        // The replacement holds every write's uniqueness, so the old index can go (once; later opens find none).
        if (existing.has(LEGACY_LOG_INDEX))
          await this.events.dropIndex(LEGACY_LOG_INDEX).catch((e) => {
            if (!(e instanceof MongoServerError && (e.code === INDEX_NOT_FOUND || e.codeName === "IndexNotFound"))) throw e;
          });
      })();
      this.logIndexed = indexed;
      indexed.catch(() => {
        if (this.logIndexed === indexed) this.logIndexed = null;
      });
    }
    return this.logIndexed;
  }

  /** Connects and creates the indexes. Calls do this themselves; awaiting it tells whether it worked. */
  async prepare(): Promise<void> {
    try {
      await this.connect();
      await this.ensureLogIndexes();
    } catch (e) {
      this.translate(e);
    }
    await this.warnIfFerretDb();
    await this.ensureIndexes();
  }

  leases(): Leases {
    return new MongoLeases(() => this.client.db(this.database).collection(LEASES), (operation) => this.run(operation));
  }

  /**
   * FerretDB 1.x checks an update's or a delete's filter on a read, then writes the document by _id alone
   * (handler/msg_update.go, msg_findandmodify.go, msg_delete.go; the same in its SQLite and PostgreSQL
   * backends), so no condition is atomic there. One daemon serialises its own writes to a todo
   * (`serialized`) and keeps the etag check; two daemons can both win one version. Said once, at start.
   */
  private async warnIfFerretDb(): Promise<void> {
    if (this.checkedServer) return;
    const info = await this.client.db("admin").command({ buildInfo: 1 }).catch(() => null);
    if (!info) return;
    this.checkedServer = true;
    // FerretDB's own field (handler/msg_buildinfo.go); MongoDB has none.
    const ferretdb = info.ferretdbVersion as string | undefined;
    if (ferretdb)
      this.options.warn?.(
        `MongoDB at ${redactUrl(this.options.url)} is FerretDB ${ferretdb}, whose conditional updates are not atomic: run one todo serve against it (several can lose updates to one todo), or use MongoDB`,
      );
  }

  /**
   * Runs one call against MongoDB, failing it if it has not finished within `limitMS`: a read with
   * UnavailableError (nothing changed, retry is safe), a write with OutcomeUnknownError (it may have been
   * applied). A call that passes its limit fails alone: the shared client stays, so the other calls in
   * flight on it go on (replacing it failed every one of them: "client was closed", "session that has
   * ended"). The late call sends no further command (WriteTracker); the one it waits on may still end in
   * the background, and a connection whose socket stays silent is closed by the driver after
   * socketTimeoutMS (driver 7.9 can otherwise wait forever on a socket that closed as a call began),
   * which fails only the call on that connection.
   */
  private async run<T>(operation: (write: WriteTracker) => Promise<T>, limitMS = this.callTimeoutMS): Promise<T> {
    const write = new WriteTracker();
    const client = this.client;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<"expired">((resolve) => {
      timer = setTimeout(() => resolve("expired"), limitMS);
    });
    const call = (async () => {
      await this.connect();
      // Index creation runs beside the calls; they do not need it to be right, only fast.
      this.ensureIndexes().catch(() => {});
      write.going();
      return { value: await operation(write) };
    })();
    try {
      const outcome = await Promise.race([call, expired]);
      if (outcome === "expired") {
        call.catch(() => {}); // its late failure is nobody's to report
        lingeringCalls.getStore()?.push(call);
        write.abandoned = true;
        const what = `MongoDB at ${redactUrl(this.options.url)} did not answer within ${limitMS} ms`;
        if (write.sent) throw new OutcomeUnknownError(true, what);
        throw new UnavailableError(`${what}; the daemon keeps trying`);
      }
      return outcome.value;
    } catch (e) {
      if (e instanceof OutcomeUnknownError || e instanceof UnavailableError) throw e;
      // A call cut short because the store replaced its client after a failed connect reports that failure.
      if (client !== this.client && (e instanceof MongoTopologyClosedError || e instanceof MongoClientClosedError) && this.unreachable)
        throw new UnavailableError(this.unreachable);
      // A write sent and not answered by the server (the connection broke, the pool was cleared under it)
      // may have been applied: never "retry is safe". An error the server answered is definite.
      if (write.sent && e instanceof MongoError && !(e instanceof MongoServerError))
        throw new OutcomeUnknownError(false, `MongoDB at ${redactUrl(this.options.url)} did not answer the write (${this.scrub(e.message)})`);
      return this.translate(e);
    } finally {
      clearTimeout(timer);
    }
  }

  async create(fields: TodoFields, options: WriteOptions & CreateOptions = {}): Promise<Change> {
    const { id, actor, times } = options;
    const _id = objectId(id ?? newId());
    // The domain only passes well-formed ids; one that cannot be an ObjectId cannot be kept.
    if (!_id) throw new Error(`cannot keep id "${id}": MongoDB ids are 24 hex digits`);
    const write = () =>
      this.run(async (sending) => {
        // The insert comes first: a kept id is usually new, and a create is then one round trip. Only
        // when it is taken does the create read what holds it.
        let tombstone: Pick<StoredDocument, "deleted" | "version"> | null = null;
        let number: number | undefined;
        for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
          sending.going();
          // A kept id may belong to a live todo (taken) or to a deleted one's tombstone (revived).
          if (attempt > 0) tombstone = await this.todos.findOne({ _id }, { projection: { deleted: 1, version: 1 } });
          if (tombstone && !tombstone.deleted) throw new AlreadyExistsError(id!);
          const now = Date.now();
          const version = tombstone ? tombstone.version + 1 : 1;
          number ??= await this.claimNumber(_id.toHexString());
          const todo: TodoRecord = { ...fields, id: _id.toHexString(), createTime: times?.createTime ?? now, updateTime: times?.updateTime ?? now, version, number };
          const change = changeOf("created", todo, { version, time: now, actor });
          if (tombstone) {
            const { _id: _, ...stored } = toStored(todo);
            sending.sending();
            const { matchedCount } = await this.todos.updateOne(
              { _id, deleted: true, version: tombstone.version },
              { $set: { ...stored, reminder_due: armed(todo.reminder) }, $unset: { deleted: "" }, $push: { pending: toPending(change) } },
            );
            if (matchedCount) return change;
            continue; // revived or deleted again meanwhile: look again
          }
          try {
            sending.sending();
            await this.todos.insertOne({ ...toStored(todo), reminder_due: armed(todo.reminder), pending: [toPending(change)] });
            return change;
          } catch (e) {
            if (!isDuplicateKey(e)) throw e;
            // A fresh ObjectId is this call's alone: the driver's retry of an insert that had committed.
            if (id === undefined) return change;
            // A kept id: another create's, or again the driver's retry of this one (its event tells);
            // else the next attempt reads what holds it.
            if (await this.recorded(_id, change.eventId)) return change;
          }
        }
        throw this.contended(id!);
      });
    const change = await (id === undefined ? write() : this.serialized(id, write));
    this.wrote(change.todoId);
    return change;
  }

  /** After a write of this store to todo `id` committed its event: counted as lag, and a pass soon. */
  private wrote(id: string) {
    this.unsequenced.set(id, (this.unsequenced.get(id) ?? 0) + 1);
    this.unsequencedTotal++;
    this.sequencer.written(id);
  }

  /** A pass saw in the log the events `counted` (per todo, as counted when it began). */
  private sequencedThrough(counted: [string, number][]) {
    for (const [id, n] of counted) {
      if (!n) continue;
      const left = (this.unsequenced.get(id) ?? 0) - n;
      if (left > 0) this.unsequenced.set(id, left);
      else this.unsequenced.delete(id);
      this.unsequencedTotal -= n + Math.min(left, 0);
    }
  }

  /**
   * The short number of todo `id`: the one it holds already (a kept id created again, a retried create),
   * else the next free one, claimed by a unique insert. Numbers are claimed before the todo is written,
   * so a create that fails after its claim leaves a gap, never a number two todos share.
   *
   * This process hands out numbers from its own counter, one to each claim, so its concurrent creates
   * never collide with one another: when each read the highest and tried the one after it, 2,000 creates
   * at once took a round of collisions per number and most ran out of time (test/e2e/crash.test.ts).
   * Only another daemon's claims make an insert collide; the counter then moves past the highest taken.
   * The claim is tried first, without a read: a todo that holds a number refuses it by `_id`.
   */
  private async claimNumber(id: string): Promise<number> {
    // The unique index on `number` is what keeps two claims of one number apart: it exists before this
    // process claims any (claims made before it, by several stores at once, shared numbers and then
    // failed its creation: the log contract's concurrent writers on FerretDB).
    this.numbering ??= this.ensureLogIndexes().then(() => this.highestNumber()).then(
      (highest) => void (this.lastNumber = Math.max(this.lastNumber, highest)),
      (e) => {
        this.numbering = null;
        throw e;
      },
    );
    await this.numbering;
    for (;;) {
      const next = ++this.lastNumber;
      try {
        await this.numbers.insertOne({ _id: id, number: next });
        return next;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        // FerretDB does not say which index refused it: a document under `_id` means this todo holds a
        // number already, and `next` goes back to the counter unless a later claim took one meanwhile.
        const held = await this.numbers.findOne({ _id: id });
        if (held) {
          if (this.lastNumber === next) this.lastNumber = next - 1;
          return held.number;
        }
        // Another daemon took `next`: go on past the highest taken.
        this.lastNumber = Math.max(this.lastNumber, await this.highestNumber());
      }
    }
  }

  private async highestNumber(): Promise<number> {
    return (await this.numbers.find({}, { projection: { number: 1 } }).sort({ number: -1 }).limit(1).toArray())[0]?.number ?? 0;
  }

  /** Claims number `wanted` for todo `id` (a replay): the todo's own number if it has one, else `wanted`, or 0 when another todo holds it. */
  private async claimGiven(id: string, wanted: number): Promise<number> {
    try {
      await this.numbers.insertOne({ _id: id, number: wanted });
      return wanted;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      return (await this.numbers.findOne({ _id: id }))?.number ?? 0;
    }
  }

  /**
   * Events this store's writes (and reminders) put into their todos' `pending` minus those of them
   * its sequencing has since seen in the log: 0 once they are all in (docs/events.md, "Lag").
   */
  lag(): number {
    return this.unsequencedTotal;
  }

  /** MongoDB commands this store started, by name, since it opened. */
  commandsStarted(): Record<string, number> {
    return Object.fromEntries(this.commands);
  }

  /**
   * Degraded while the lag has stayed at LAG_DEGRADED_EVENTS or more for LAG_DEGRADED_MS: every call
   * works, but watchers, the relay and the projection see writes late. The text changes only with the
   * lag's order of magnitude, so the log says it once, not at every check.
   */
  degraded(): string | null {
    const lag = this.unsequencedTotal;
    if (lag < LAG_DEGRADED_EVENTS) {
      this.laggingSince = null;
      return null;
    }
    this.laggingSince ??= Date.now();
    if (Date.now() - this.laggingSince < LAG_DEGRADED_MS) return null;
    const magnitude = 10 ** Math.floor(Math.log10(lag));
    return `event log over ${magnitude} events behind this daemon's writes for ${LAG_DEGRADED_MS / 1000} s or more: watchers and the relay see writes late until MongoDB takes them (todo_event_log_lag_events has the count; check MongoDB's load)`;
  }

  /**
   * Numbers the todos of earlier releases (and of `todo migrate`, or replayed), in _id order: at most once
   * each, whoever does it. The write sets the number alone, on the version read, in turn with this
   * daemon's writes to the todo: on MongoDB it never overwrites another write. FerretDB replaces the
   * whole document, so a write by another process (another daemon, `todo migrate`) to the same todo at
   * the same moment can be lost, as between any two writers there.
   */
  private async numberTodos(docs: StoredDocument[]): Promise<void> {
    for (const doc of docs) {
      if (this.closed) return;
      // A document this daemon cannot read is left exactly as it is (the upgrade reports it).
      try {
        toRecord(doc);
      } catch {
        continue;
      }
      const id = doc._id.toHexString();
      const number = await this.run(() => this.claimNumber(id));
      await this.serialized(id, () =>
        this.run(() => this.todos.updateOne({ _id: doc._id, version: doc.version ?? null, number: { $exists: false } } as Filter<StoredDocument>, { $set: { number } })),
      );
    }
  }

  /** Whether the event `eventId` of todo `_id` was written: still pending in its document, or in the log. */
  private async recorded(_id: ObjectId, eventId: string): Promise<boolean> {
    if (await this.todos.findOne({ _id, "pending.event_id": eventId } as Filter<StoredDocument>, { projection: { _id: 1 } })) return true;
    return (await this.events.findOne({ event_id: eventId }, { projection: { _id: 1 } })) !== null;
  }

  async get(id: string): Promise<TodoRecord | null> {
    const _id = objectId(id);
    if (!_id) return null;
    return this.run(async () => {
      // By _id alone: FerretDB answers that from its primary key, while a second condition or a
      // projection makes it scan the collection (9 vs 100 ms a read among 1,000 todos, measured on
      // FerretDB 1.24); a tombstone is not a todo.
      const doc = await this.todos.findOne({ _id });
      return doc && doc.deleted !== true ? toRecord(doc) : null;
    });
  }

  /**
   * Runs this process's writes to one todo (and the removals of its sequenced events) one after
   * another. Real MongoDB does not need this: its updates are atomic, so the {_id, version} filter
   * alone lets exactly one of N concurrent writers win, across any number of daemons. FerretDB 1.x
   * implements an update as a read then a replacement of the document (two writers can both match
   * version n), so without this a single daemon on FerretDB would lose updates; several daemons
   * sharing one FerretDB still can.
   *
   * A write's turn ends when its commands have, not when its caller stopped waiting: a call past its
   * limit leaves its command queued at the server (FerretDB paused, say), and the next write reading
   * the version before that command applies would match it too (the history checker saw one daemon on
   * FerretDB lose an acknowledged update so). That wait is bounded by the driver's socketTimeoutMS,
   * which ends a command that gets no answer.
   */
  private serialized<T>(id: string, write: () => Promise<T>): Promise<T> {
    return this.serializedAll([id], write);
  }

  /** `write` after this process's queued writes to every todo of `ids`, and before any queued later (see `serialized`). */
  private serializedAll<T>(ids: string[], write: () => Promise<T>): Promise<T> {
    const before = ids.map((id) => this.writes.get(id)).filter((p) => p !== undefined);
    const lingering: Promise<unknown>[] = [];
    const result = (before.length ? Promise.all(before) : Promise.resolve()).then(() => lingeringCalls.run(lingering, write));
    const settled = Promise.allSettled([...before, result]).then(async () => void (await Promise.allSettled(lingering)));
    for (const id of ids) this.writes.set(id, settled);
    void settled.then(() => {
      for (const id of ids) if (this.writes.get(id) === settled) this.writes.delete(id);
    });
    return result;
  }

  /** After WRITE_ATTEMPTS compare-and-sets lost to other writers. */
  private contended(id: string): UnavailableError {
    return new UnavailableError(`todo ${id} changed ${WRITE_ATTEMPTS} times while this write was trying; try again`);
  }

  /**
   * Writes the next version of a live todo with its event, by compare-and-set on the version read
   * (see the protocol above). `next` builds the update and the change from the todo as read, which
   * `toRecord` reads from a document of any shape it tolerates: a document it cannot read fails the write
   * before anything changes (UnreadableTodoError), and one of another shape is compared by the version
   * it is served with (1 when it has none), so its etag holds.
   */
  private async writeNext(id: string, expectedVersion: number | undefined, next: (current: TodoRecord, now: number) => NextWrite): Promise<Change> {
    const _id = objectId(id);
    if (!_id) throw new NotFoundError(id);
    const change = await this.serialized(id, () =>
      this.run(async (sending) => {
        for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
          sending.going();
          const current = await this.todos.findOne({ _id }); // by _id alone, as in get()
          if (!current || current.deleted === true) throw new NotFoundError(id);
          const todo = toRecord(current);
          if (expectedVersion !== undefined && todo.version !== expectedVersion) throw new VersionMismatchError(id);
          const write = next(todo, Date.now());
          const { filter, update } = compareAndSet(current, write);
          sending.sending();
          const { matchedCount } = await this.todos.updateOne(filter, update);
          // Else another writer came first: the next read tells whether this write still applies.
          if (matchedCount) return write.change;
        }
        throw this.contended(id);
      }),
    );
    this.wrote(id);
    return change;
  }

  async update(id: string, fields: Partial<TodoFields>, options: WriteOptions & { expectedVersion?: number } = {}): Promise<Change> {
    return this.writeNext(id, options.expectedVersion, (current, now) => updated(current, fields, now, options.actor));
  }

  async delete(id: string, options: WriteOptions & { expectedVersion?: number } = {}): Promise<Change> {
    return this.writeNext(id, options.expectedVersion, (current, now) => {
      const version = current.version + 1;
      return {
        change: changeOf("deleted", current, { version, time: now, actor: options.actor }),
        update: { $set: { deleted: true, version, update_time: new Date(now) }, $unset: TOMBSTONE_UNSET },
      };
    });
  }

  async search(query: SearchQuery, _signal?: AbortSignal, spending: SearchSpending = { ms: 0 }): Promise<SearchPage> {
    const field = query.order.field;
    const conditions: Filter<TodoDocument>[] = [{ deleted: { $ne: true } } as Filter<TodoDocument>];
    if (query.pattern) {
      // $regex is PCRE on MongoDB; the domain validates patterns as RE2, whose syntax PCRE accepts with
      // the same meaning for everything RE2 allows. (FerretDB evaluates $regex with Go's RE2.)
      const fields = query.patternFields ?? (["title", "description"] as const);
      conditions.push({ $or: fields.map((f) => ({ [f]: { $regex: query.pattern } })) });
    }
    if (query.tags.length) conditions.push({ tags: { $all: query.tags } });
    if (query.states.length) conditions.push({ state: { $in: storedStates(query.states) as State[] } });
    const reminder: { $gte?: Date; $lt?: Date } = {};
    if (query.reminderAfter !== undefined) reminder.$gte = new Date(query.reminderAfter);
    if (query.reminderBefore !== undefined) reminder.$lt = new Date(query.reminderBefore);
    if (Object.keys(reminder).length) conditions.push({ reminder });
    return this.run(async () => {
      const docs: TodoDocument[] = [];
      const key = query.after && (await this.resumeKey(field, query.after));
      for (const { filter, sort } of this.keyset(field, query.order.descending, query.after, key)) {
        if (docs.length > query.limit) break;
        const all = [...conditions, ...(filter ? [filter] : [])];
        // A pattern's finds share the call's budget (ports.ts, SearchSpending): each gets what is left. A
        // listing without one walks an index; each of its finds keeps the whole limit, as a guard only.
        const left = query.pattern ? Math.floor(this.searchTimeoutMS - spending.ms) : this.searchTimeoutMS;
        if (left <= 0) throw new SearchBudgetError(this.searchTimeoutMS);
        const started = performance.now();
        try {
          docs.push(
            ...(await this.todos
              .find({ $and: all } as Filter<StoredDocument>, { maxTimeMS: left, projection: { pending: 0 } })
              .sort(sort)
              .limit(query.limit + 1 - docs.length)
              .toArray()),
          );
        } finally {
          spending.ms += performance.now() - started;
        }
      }
      return { todos: docs.slice(0, query.limit).map(toRecord), more: docs.length > query.limit };
    }, this.callTimeoutMS + this.searchTimeoutMS);
  }

  /**
   * The queries that list, one after the other, the documents strictly after `after` in (field, _id)
   * order. The contract puts a missing reminder after every reminder (last ascending, first descending),
   * but MongoDB sorts null before every Date, so an order by reminder is two queries: the dated todos by
   * (reminder, _id) and the undated ones by _id. Comparisons like $gt on a Date never match null (type
   * bracketing), so a position among the dated todos selects dated todos only.
   */
  private keyset(field: OrderField, descending: boolean, after: SearchQuery["after"], key?: string | Date | null): { filter?: Filter<TodoDocument>; sort: Sort }[] {
    const direction = descending ? -1 : 1;
    const cmp = descending ? "$lt" : "$gt";
    const _id = after && (objectId(after.id) ?? new ObjectId("000000000000000000000000"));
    const beyond = (key: string | Date | null): Filter<TodoDocument> => ({ $or: [{ [field]: { [cmp]: key } }, { [field]: key, _id: { [cmp]: _id } }] });
    // Times are null only in documents of the original's shape copied in by hand (see resumeKey):
    // MongoDB sorts them first, so they come first ascending and last descending.
    const beyondOrNull = (key: string | Date | null): Filter<TodoDocument> => {
      if (key === null) return descending ? { [field]: null, _id: { $lt: _id } } : { $or: [{ [field]: { $ne: null } }, { [field]: null, _id: { $gt: _id } }] };
      return descending ? { $or: [...(beyond(key).$or as Filter<TodoDocument>[]), { [field]: null }] } : beyond(key);
    };
    if (field !== "reminder") return [{ filter: after && beyondOrNull(key === undefined ? storedKey(field, after.key) : key), sort: { [field]: direction, _id: direction } }];
    const amongUndated = after?.key === null;
    const amongDated = after !== undefined && after.key !== null;
    const undated = { filter: amongUndated ? { reminder: null, _id: { [cmp]: _id } } : { reminder: null }, sort: { _id: direction } as Sort };
    const dated = { filter: amongDated ? beyond(storedKey(field, after.key)) : { reminder: { $ne: null } }, sort: { reminder: direction, _id: direction } as Sort };
    // A position among the undated todos is past every dated one ascending; among the dated, past every undated one descending.
    if (amongUndated && !descending) return [undated];
    if (amongDated && descending) return [dated];
    return descending ? [undated, dated] : [dated, undated];
  }

  /**
   * The stored sort key of the todo a page resumes after. A document of the original's shape copied in
   * by hand has no create_time or update_time, which MongoDB sorts as null, while the page token holds
   * the time toRecord read from its ObjectId: resuming after that time would skip the rest of them. For
   * those orders the key is therefore what the document holds (one read by _id per page).
   */
  private async resumeKey(field: OrderField, after: NonNullable<SearchQuery["after"]>): Promise<string | Date | null> {
    const _id = objectId(after.id);
    if (_id && (field === "create_time" || field === "update_time")) {
      const doc = await this.todos.findOne({ _id }, { projection: { [field]: 1 } });
      if (doc && (doc as unknown as Record<string, unknown>)[field] == null) return null;
    }
    return storedKey(field, after.key);
  }

  /**
   * Fires the armed reminders due by `now` of todos not DONE. Each is one compare-and-set on its todo's
   * document, as a write is: on the armed reminder and the version read, it disarms the reminder and
   * pushes the reminder_due event into `pending`, where sequencing positions it like any write's event.
   * The version is not bumped (the etag stays); being in the condition, it makes the event's snapshot
   * the todo's (so a todo done meanwhile does not fire). A reminder that no longer matches the todo's
   * (moved by an earlier release) is armed at the todo's instead. On real MongoDB the compare-and-set
   * lets one daemon fire each reminder; FerretDB's read-then-replace can let two, and then the log's
   * unique (todo_id, version, reminder) keeps the second out.
   */
  async fireDueReminders(now: number, limit: number): Promise<Change[]> {
    if (limit <= 0) return [];
    const due = await this.run(() =>
      this.todos
        .find({ ...NOT_DONE, reminder_due: { $lte: new Date(now) }, deleted: { $ne: true } } as Filter<StoredDocument>, { projection: { pending: 0 } })
        .sort({ reminder_due: 1 })
        .limit(limit)
        .toArray(),
    );
    // Every one of them is due: in a random order, several at a time, so that daemons firing at the same
    // moment mostly take different todos rather than queueing behind each other on the same ones.
    for (let i = due.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [due[i], due[j]] = [due[j]!, due[i]!];
    }
    const fired: Change[] = [];
    let taken = 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: Math.min(FIRE_CONCURRENCY, due.length) }, async () => {
        while (taken < due.length && !this.closed) {
          const change = await this.fire(due[taken++]!, now);
          if (change) {
            fired.push(change);
            this.wrote(change.todoId);
          }
        }
      }),
    );
    const failed = outcomes.find((outcome) => outcome.status === "rejected");
    if (failed && !fired.length) throw failed.reason;
    return fired;
  }

  /** Fires one due reminder of `doc` (as read) by compare-and-set; null when it did not (see fireDueReminders). */
  private fire(doc: StoredDocument, now: number): Promise<Change | null> {
    const reminder = doc.reminder_due!;
    return this.serialized(doc._id.toHexString(), () =>
      this.run(async () => {
        let todo: TodoRecord | null;
        try {
          todo = toRecord(doc);
        } catch {
          todo = null; // unreadable: disarmed, so it is not found due again and again
        }
        if (todo?.state === "STATE_DONE") return null; // done since the find
        if (todo?.reminder !== reminder.getTime()) {
          await this.todos.updateOne({ _id: doc._id, reminder_due: reminder }, { $set: { reminder_due: todo && armed(todo.reminder) } });
          return null;
        }
        const change = reminderDueOf(todo, reminder.getTime(), Math.max(now, Date.now()));
        const { matchedCount } = await this.todos.updateOne(
          { _id: doc._id, reminder_due: reminder, version: doc.version ?? null, deleted: { $ne: true }, pending: { $exists: true } } as Filter<StoredDocument>,
          { $set: { reminder_due: null }, $push: { pending: toPending(change) } },
        );
        // Not matched: another daemon fired it, or a write came first (the next pass looks again).
        return matchedCount ? change : null;
      }),
    );
  }

  async nextReminderDue(): Promise<number | null> {
    return this.run(async () => {
      const [next] = await this.todos
        .find({ ...NOT_DONE, reminder_due: { $type: "date" }, deleted: { $ne: true } } as Filter<StoredDocument>, { projection: { reminder_due: 1 } })
        .sort({ reminder_due: 1 })
        .limit(1)
        .toArray();
      return next?.reminder_due?.getTime() ?? null;
    });
  }

  // The event log: reading, replaying, and sequencing (see the protocol at the top).

  async readEvents(after: number, limit: number): Promise<TodoEvent[]> {
    if (limit <= 0) return []; // to MongoDB, a limit of 0 is none
    return this.run(async () => (await this.events.find({ _id: { $gt: after } }).sort({ _id: 1 }).limit(limit).toArray()).map(toEvent));
  }

  /**
   * Runs a call of sequencing (see `run`) with a longer limit: nobody waits for it, and on a loaded
   * FerretDB its scans take seconds; past callTimeoutMS a pass would only fail and start over.
   */
  private background<T>(operation: (write: WriteTracker) => Promise<T>): Promise<T> {
    return this.run(operation, Math.max(this.callTimeoutMS, BACKGROUND_CALL_MS));
  }

  async headPosition(): Promise<number> {
    return this.run(() => this.readHead());
  }

  /**
   * The head as recorded; without a record (a log written before there was one), the highest _id. The
   * record can lag behind the log (a crash between an insert and raising it), never run ahead: every
   * position up to it is committed.
   */
  private async readHead(): Promise<number> {
    const recorded = await this.logHead.findOne({ _id: EVENTS });
    if (!recorded) {
      const [last] = await this.events.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).toArray();
      return last?._id ?? 0;
    }
    return recorded.position;
  }

  /**
   * The recorded head is a lower bound, and on FerretDB two daemons raising it at once can even lower
   * it (its $max is a read then a replacement: the smaller value may land last, after both checked).
   * Positions have no gaps, so the log goes on as long as the next one exists: looked up by _id,
   * galloping then halving, and the record raised to what was found. FerretDB pushes down only a
   * string or ObjectId _id, so each lookup of a position is a scan of the log there: timer sweeps do
   * this, not every read of the head.
   */
  private async checkHead(): Promise<void> {
    const exists = async (position: number) => (await this.events.findOne({ _id: position })) !== null;
    let known = await this.readHead(); // in the log (or 0)
    if (!(await exists(known + 1))) return;
    let beyond = known + 2; // the first position not known to be in the log
    for (let step = 2; await exists(beyond); step *= 2) [known, beyond] = [beyond, beyond + step];
    while (beyond - known > 1) {
      const middle = Math.floor((known + beyond) / 2);
      if (await exists(middle)) known = middle;
      else beyond = middle;
    }
    this.options.warn?.(`the recorded head of ${this.database}.${EVENTS} was behind the log; raised to ${known}`);
    await this.raiseHead(known);
  }

  /**
   * Raises the recorded head to `position`, which is committed. On FerretDB another daemon's $max,
   * computed from an older read, can replace this one: read back (by _id, a lookup) and raise again.
   */
  private async raiseHead(position: number): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.logHead.updateOne({ _id: EVENTS }, { $max: { position } }, { upsert: true });
      if (((await this.logHead.findOne({ _id: EVENTS }))?.position ?? 0) >= position) return;
    }
  }

  async replay(events: TodoEvent[]): Promise<void> {
    if (!events.length) return;
    // Only each todo's last event of the batch decides what its document becomes; its armed reminder
    // follows every event, from what the store holds for a todo the batch does not create.
    const last = new Map(events.map((event) => [event.todoId, event]));
    const continued = [...last.keys()].filter((id) => events.find((e) => e.todoId === id)!.kind !== "created");
    const reminders = new Map<string, { reminder: number | null; due: Date | null }>();
    if (continued.length)
      for (const doc of await this.run(() => this.todos.find({ _id: { $in: continued.map((id) => ObjectId.createFromHexString(id)) }, deleted: { $ne: true } }).toArray()))
        reminders.set(doc._id.toHexString(), { reminder: toRecord(doc).reminder, due: doc.reminder_due ?? null });
    for (const event of events) {
      const before = reminders.get(event.todoId);
      const reminder = event.todo.reminder;
      if (event.kind === "created") reminders.set(event.todoId, { reminder, due: armed(reminder) });
      else if (event.kind === "updated" && before?.reminder !== reminder) reminders.set(event.todoId, { reminder, due: armed(reminder) });
      else if (event.kind === "reminder_due" && before) before.due = null;
    }
    // Each todo keeps the number the other store gave it (an empty store has them all free); one it cannot
    // have stays unnumbered, and the upgrade numbers it.
    const numbers = new Map<string, number>();
    await this.run(async () => {
      // After the indexes: FerretDB was seen to stall when the numbers collection is first written while its index is made.
      await this.ensureLogIndexes();
      for (const event of last.values())
        if (event.kind !== "deleted" && event.todo.number > 0) numbers.set(event.todoId, await this.claimGiven(event.todoId, event.todo.number));
    });
    const todoWrites = [...last.values()].map((event) => {
      const { _id, ...stored } = toStored({ ...event.todo, number: numbers.get(event.todoId) ?? 0 });
      const tombstone = { version: event.version, update_time: new Date(event.time), deleted: true as const, pending: [] };
      const replacement =
        event.kind === "deleted" ? (tombstone as unknown as StoredDocument) : { ...stored, reminder_due: reminders.get(event.todoId)?.due ?? null, pending: [] };
      return { replaceOne: { filter: { _id }, replacement, upsert: true } };
    });
    const logged = events.map((event) => toEventDocument(event.position, event.todoId, toPending(event)));
    await this.run(async () => {
      await this.ensureLogIndexes();
      // The todos first: a replay that stops between the two starts again after the log's head, and
      // writing a todo's snapshot again is harmless.
      for (let i = 0; i < todoWrites.length; i += UPDATE_SLICE) await this.todos.bulkWrite(todoWrites.slice(i, i + UPDATE_SLICE), { ordered: true });
      for (let i = 0; i < logged.length; i += BULK_SLICE) await this.events.insertMany(logged.slice(i, i + BULK_SLICE), { ordered: true });
      await this.raiseHead(events.at(-1)!.position);
    });
  }

  /**
   * Resolves once every event this process wrote before the call is in the log, and every pending
   * event a sweep started now finds (documents of earlier releases get theirs first). Rejects when that
   * sweep fails (UnavailableError while MongoDB is away). For tests and `todo replay`.
   */
  settle(): Promise<void> {
    return this.flush();
  }

  flush(): Promise<void> {
    return this.sequencer.flush();
  }

  /** One sequencing pass; sequencer.ts decides when. Resolves with the documents its sweep found pending. */
  private async sequence(work: Work): Promise<number> {
    this.head = null; // read again: positions may have been taken, or replayed, since the last pass
    const unreadable: unknown[] = [];
    // This store's events not yet seen in the log, as the pass begins: a full sweep sees all of them
    // in the log by its end, a pass over written todos those of its todos (see `lag`).
    const counted: [string, number][] = work.sweep === "all" ? [...this.unsequenced] : work.ids.map((id) => [id, this.unsequenced.get(id) ?? 0]);
    await this.background(() => this.ensureLogIndexes());
    if (work.upgrade) {
      // Numbered first, so the created event the upgrade logs for a todo of an earlier release carries its number.
      await this.eachBatch({ number: { $exists: false }, deleted: { $ne: true } } as Filter<StoredDocument>, undefined, (docs) => this.numberTodos(docs));
      await this.eachBatch({ pending: { $exists: false }, deleted: { $ne: true } }, undefined, (docs) => this.upgrade(docs, unreadable));
      // Only those with a reminder still ahead (a Date, or the original's Unix seconds): the others stay unarmed untouched.
      const now = Date.now();
      const ahead = { $or: [{ reminder: { $gt: new Date(now) } }, { reminder: { $gt: Math.floor(now / 1000) } }] };
      await this.eachBatch({ reminder_due: { $exists: false }, deleted: { $ne: true }, ...ahead } as Filter<StoredDocument>, { reminder: 1 }, (docs) => this.armReminders(docs));
    }
    if (work.ids.length && work.sweep !== "all") {
      for (let i = 0; i < work.ids.length; i += IDS_PER_READ) {
        if (this.closed) return 0;
        const ids = work.ids.slice(i, i + IDS_PER_READ).map((id) => ObjectId.createFromHexString(id));
        // One query for them all, unsorted and unlimited: FerretDB pushes down no filter but a single
        // _id, so any other read is a scan of the collection, once per query; MongoDB uses _id's index.
        // "pending.0" first: FerretDB checks the conditions in order, and most documents have none
        // pending, which then costs no comparison with each of the ids.
        const docs = await this.background(() => this.todos.find({ "pending.0": { $exists: true }, _id: { $in: ids } }, { projection: { pending: 1 } }).toArray());
        await this.sequenceBatch(docs, false);
        this.sequencedThrough(counted.slice(i, i + IDS_PER_READ));
      }
    }
    let found = 0;
    if (work.sweep !== "none") {
      const filter: Filter<StoredDocument> =
        work.sweep === "all" ? { "pending.0": { $exists: true } } : { "pending.time": { $lt: new Date(Date.now() - SWEEP_GRACE_MS) } };
      await this.eachBatch(filter, { pending: 1 }, (docs) => ((found += docs.length), this.sequenceBatch(docs, true)));
      // After this pass's own raises of the head: the last raise to land is checked by its raiser.
      if (!this.closed) await this.background(() => this.checkHead());
      if (work.sweep === "all" && !this.closed) this.sequencedThrough(counted);
    }
    // The other documents are done; the pass still fails, so the problem is reported and flush() rejects.
    if (unreadable.length) throw unreadable[0];
    return found;
  }

  /** Calls `each` with the documents matching `filter`, in _id order, SWEEP_BATCH at a time, until the store closes. */
  private async eachBatch(filter: Filter<StoredDocument>, projection: Record<string, 1> | undefined, each: (docs: StoredDocument[]) => Promise<void>) {
    let after: ObjectId | undefined;
    while (!this.closed) {
      const batch = after ? { $and: [filter, { _id: { $gt: after } }] } : filter;
      const docs = await this.background(() => this.todos.find(batch, { projection }).sort({ _id: 1 }).limit(SWEEP_BATCH).toArray());
      if (docs.length) await each(docs);
      if (docs.length < SWEEP_BATCH) return;
      after = docs.at(-1)!._id;
    }
  }

  /** Gives documents of an earlier release their created event (unless a write or another daemon did), and sequences them. */
  private async upgrade(docs: StoredDocument[], unreadable: unknown[]): Promise<void> {
    const upgraded: Pick<StoredDocument, "_id" | "pending">[] = [];
    for (const doc of docs) {
      if (this.closed) return;
      let event: PendingEvent;
      try {
        event = toPending(legacyCreated(doc));
      } catch (e) {
        unreadable.push(e);
        continue;
      }
      const { matchedCount } = await this.serialized(doc._id.toHexString(), () =>
        this.background(() => this.todos.updateOne({ _id: doc._id, version: doc.version ?? null, pending: { $exists: false } } as Filter<StoredDocument>, { $set: { pending: [event] } })),
      );
      if (matchedCount) upgraded.push({ _id: doc._id, pending: [event] });
    }
    await this.sequenceBatch(upgraded, false);
  }

  /**
   * Arms the reminders of documents written without `reminder_due` (by an earlier release, `todo
   * migrate`, or by hand) whose reminder is still ahead; one that passed before this release never
   * fires (docs/events.md, "Reminders"). Conditional on the field still missing, so daemons agree.
   */
  private async armReminders(docs: StoredDocument[]): Promise<void> {
    for (const doc of docs) {
      if (this.closed) return;
      let reminder: number | null;
      try {
        reminder = toRecord(doc).reminder;
      } catch {
        continue; // the upgrade above reports a document it cannot read
      }
      await this.serialized(doc._id.toHexString(), () =>
        this.background(() => this.todos.updateOne({ _id: doc._id, reminder_due: { $exists: false } }, { $set: { reminder_due: armed(reminder) } })),
      );
    }
  }

  /**
   * Moves the pending events of `docs` (as read) into the log, then off the documents. `swept`: found
   * by a sweep, so some may be in the log already (another daemon is at them, or one crashed). The
   * commands do not grow with the events: one read of the log for a sweep's, one insertMany and one
   * raise of the head per BULK_SLICE events, one bulkWrite per UPDATE_SLICE documents.
   */
  private async sequenceBatch(docs: Pick<StoredDocument, "_id" | "pending">[], swept: boolean): Promise<void> {
    const holding = docs.filter(({ pending }) => pending?.length);
    let events = holding.flatMap(({ _id, pending = [] }) => pending.map((event) => ({ todo_id: _id.toHexString(), event })));
    if (!events.length) return;
    if (swept) {
      // Leave out at once those the log has: one read, rather than a collision for each.
      const ids = events.map(({ event }) => event.event_id);
      const known = await this.background(() => this.events.find({ event_id: { $in: ids } }, { projection: { event_id: 1 } }).toArray());
      const logged = new Set(known.map((doc) => doc.event_id));
      events = events.filter(({ event }) => !logged.has(event.event_id));
    }
    // In slices: FerretDB 1.24 never answers a bulk insert of 200 documents (100 it takes). Slices in
    // order keep each todo's events in version order.
    for (let i = 0; i < events.length; i += BULK_SLICE) await this.append(events.slice(i, i + BULK_SLICE));
    // Then off their documents, UPDATE_SLICE documents per command. $pullAll takes off exactly the events
    // read (whole-value equality, the same on MongoDB and FerretDB), wherever they are, and nothing
    // pushed since; one already taken off (a crash, another daemon) is not there to take. The filter is
    // the _id alone, the one filter FerretDB 1.24 looks up rather than scanning the collection for.
    // (Not $pull with a condition: FerretDB 1.24 compares $pull's value as a whole too, so a condition
    // matches nothing.) FerretDB replaces the whole document, so this process's writes to these todos
    // wait (`serializedAll`).
    for (let i = 0; i < holding.length; i += UPDATE_SLICE) {
      if (this.closed) return;
      const slice = holding.slice(i, i + UPDATE_SLICE);
      const removals = slice.map(({ _id, pending }) => ({ updateOne: { filter: { _id }, update: { $pullAll: { pending } } as UpdateFilter<StoredDocument> } }));
      await this.serializedAll(
        slice.map(({ _id }) => _id.toHexString()),
        () => this.background(() => this.todos.bulkWrite(removals, { ordered: false })),
      );
    }
  }

  /**
   * Inserts the events at the next positions, in order, leaving out those the log has already. One
   * ordered insertMany: MongoDB inserts its documents one after another and stops at the first error,
   * so each position is inserted after the one before it.
   */
  private async append(events: { todo_id: string; event: PendingEvent }[]): Promise<void> {
    let done = 0; // events[0, done) are in the log
    for (let attempt = 0; done < events.length; attempt++) {
      if (this.closed) throw new Error("the store is closed");
      if (attempt === APPEND_ATTEMPTS) throw new UnavailableError(`no free position in ${this.database}.${EVENTS} after ${APPEND_ATTEMPTS} attempts; retrying later`);
      const head = this.head ?? (await this.background(() => this.readHead()));
      const rest = events.slice(done).map(({ todo_id, event }, i) => toEventDocument(head + 1 + i, todo_id, event));
      try {
        await this.background(() => this.events.insertMany(rest, { ordered: true }));
        this.head = head + rest.length;
        await this.background(() => this.raiseHead(this.head!));
        return;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        const inserted = e instanceof MongoBulkWriteError ? e.insertedCount : 0;
        done += inserted;
        this.head = head + inserted;
      }
      // The first event not inserted broke a unique index. Which one, FerretDB 1.24 does not say (no
      // keyPattern, no index name): look for the event.
      const { todo_id, event } = events[done]!;
      const logged = await this.background(() =>
        this.events.findOne({ $or: [{ event_id: event.event_id }, { todo_id, version: event.version, reminder: event.reminder ?? null }] } as Filter<EventDocument>, { projection: { event_id: 1 } }),
      );
      if (!logged) {
        // Another daemon took the position, so it is committed: the next one is free to try. (The
        // recorded head can lag, so reading it again could name the same position.)
        this.head = this.head! + 1;
        continue;
      }
      // Another event at this todo's version: its document was removed and written again outside this
      // store, so versions started over. The log keeps the first; this one is left out, loudly. For a
      // reminder, the same reminder fired twice (daemons racing on FerretDB, whose updates are not
      // atomic): the log keeps the first, as it should.
      if (logged.event_id !== event.event_id && event.kind !== "reminder_due")
        this.options.warn?.(`event ${event.event_id} (todo ${todo_id} version ${event.version}) is left out of the log: it has event ${logged.event_id} at that version`);
      done++;
    }
  }

  /**
   * Resolves when MongoDB answers a ping. While it is down, server selection alone waits
   * serverSelectionTimeoutMS (2 s) before the driver names the cause, which is as long as readiness
   * waits; so after pingTimeoutMS the ping answers with the cause the driver saw (ECONNREFUSED, …), or
   * says it had no answer. The ping goes on: its server selection makes the monitor check again, so
   * readiness follows MongoDB's return within a check.
   */
  async ping(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new UnavailableError(this.unreachable ?? `MongoDB at ${redactUrl(this.options.url)} did not answer a ping within ${this.pingTimeoutMS} ms`)),
        this.pingTimeoutMS,
      );
    });
    try {
      await Promise.race([this.run(() => this.todos.db.command({ ping: 1 })), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Stops sequencing and closes the connection. The pass for the last writes may finish first, for
   * up to callTimeoutMS; what is still pending then stays for the next sweep, of any daemon.
   */
  async close(): Promise<void> {
    this.stopLookingForOriginal();
    const stopped = this.sequencer.stop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, this.callTimeoutMS)))]);
    clearTimeout(timer);
    this.closed = true; // a pass still running stops at its next step
    await this.client.close(); // and a call of it in flight fails
    await stopped;
  }
}
