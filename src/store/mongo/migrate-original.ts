// `todo migrate`: copies the original todod's todos (challenge.todo, in its shape) into the collection
// todo serve reads (the store's shape), each under its own id. It only ever reads the original's
// collection, so rolling back is pointing the original daemon at its untouched data again.
//
// Idempotent and resumable: each copy carries a mark (`migrated: {from, version, digest}`): where it came
// from, the version this wrote and a digest of the original's fields then. A later run compares field
// by field through it: a todo the original has not changed since is unchanged (even if todo serve has);
// one the original changed is updated to the original's fields at its next version, unless todo serve
// changed it too (then todo serve's is kept, and listed). A copy without a mark (made by hand) is
// updated whenever its fields differ. The marks also find copies whose original has gone.
//
// A document is checked against the rules and limits a create checks (rules.ts), and one they refuse
// (an empty or over-long title, a 15 MiB description, 40 tags, …) is not copied: it is listed with its
// _id and every rule it breaks, the rest is copied, and the command exits 1, as for a document that
// cannot be a todo at all (an _id that is no ObjectId, a title that is a number). An operator corrects
// the listed ones in the original and runs it again (it is idempotent): skipping them, rather than
// stopping, copies the rest the same way each run, and the dry run reports exactly what a run would.
// (Copied as they were, an over-long title made every reader fail: a 5 MiB todo is more than a reply
// carries, and a 15 MiB one, with its event, more than a MongoDB document holds.)
import { createHash } from "node:crypto";
import {
  type Collection,
  type Document,
  Long,
  MongoBulkWriteError,
  MongoClient,
  MongoError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  ObjectId,
} from "mongodb";
import { InvalidArgumentError, UnreadableTodoError } from "../../todos/errors";
import { changeOf, differingFields } from "../../todos/changes";
import type { TodoFields, TodoRecord } from "../../todos/model";
import { parseDescription, parseTags, parseTitle } from "../../todos/rules";
import { storeDatabase } from "./connection";
import { BULK_SLICE, COLLECTION, compareAndSet, kindOf, type StoredDocument, toPending, toRecord, toStored, updated } from "./documents";
import { ORIGINAL, ORIGINAL_STATES, REMINDER_SECONDS } from "./original-data";
import { redactUrl, scrub, secretsOf } from "../../secrets/redact";

export interface MigrateOptions {
  /** The MongoDB both daemons use (MONGO_URL). */
  url: string;
  /** todo serve's database when the URL names none (MONGO_DB); as the daemon resolves it. */
  database?: string;
  /** The original's collection; default challenge.todo. */
  from?: { database: string; collection: string };
  /** Decide and report everything, write nothing. */
  dryRun?: boolean;
  /** Each todo worth a look, as it is met: copied with a remark (an unknown state), or not copied. */
  onNote?: (note: MigrationNote) => void;
}

export interface MigrationNote {
  id: string;
  copied: boolean;
  message: string;
}

export interface MigrationReport {
  /** `database.collection` of the original's todos and of todo serve's. */
  from: string;
  to: string;
  created: number;
  updated: number;
  unchanged: number;
  /** Not copied; each was a note. */
  skipped: number;
  /** Ids copied by an earlier run that are no longer in the original's collection. */
  gone: string[];
}

/** A failure of the whole migration, in one line; `badInput` for a mistake in the options (exit 2). */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly badInput = false,
  ) {
    super(message);
  }
}

/** The store's document plus where, and at which version, a migration wrote it. */
type MigratedDocument = StoredDocument & { migrated?: { from: string; version: number; digest: string } };

/** One todo to write: new (version 1), or a new version of todo serve's copy as read (`copy`). */
interface MigratedWrite {
  todo: TodoRecord;
  /** todo serve's copy this write replaces, as read, and its todo; absent for a new todo. */
  copy?: { doc: MigratedDocument; current: TodoRecord };
}

/** The actor of the events a migration writes. */
export const MIGRATE_ACTOR = "todo migrate";

const BATCH = 1000;
const { min: MIN_SECONDS, max: MAX_SECONDS } = REMINDER_SECONDS;

type Converted = { todo: TodoRecord; notes: string[] } | { skip: string };

/**
 * The todo an original document holds, as todo serve stores it: reminder seconds to a time (0: none),
 * states with their prefix, missing or null tags as none, the ObjectId's time as creation and update
 * time, version 1. `notes` say how an odd value was read; a document todo serve's rules refuse is a skip.
 */
export function fromOriginal(doc: Document): Converted {
  const _id = doc._id;
  if (!(_id instanceof ObjectId)) return { skip: `its _id is ${kindOf(_id)}, not an ObjectId as todo serve's ids are` };
  const notes: string[] = [];
  const text = (field: string): string | undefined => {
    const value = doc[field] ?? "";
    return typeof value === "string" ? value : undefined;
  };
  const title = text("title");
  if (title === undefined) return { skip: `title is ${kindOf(doc.title)}, not a string` };
  const description = text("description");
  if (description === undefined) return { skip: `description is ${kindOf(doc.description)}, not a string` };
  const tags = doc.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== "string")) return { skip: `tags is ${kindOf(doc.tags)}, not a list of strings` };
  let reminder: number | null = null;
  const stored = doc.reminder ?? 0;
  const seconds = stored instanceof Long ? (stored.lessThanOrEqual(MAX_SECONDS) && stored.greaterThanOrEqual(MIN_SECONDS) ? stored.toNumber() : NaN) : stored;
  if (stored instanceof Date) reminder = stored.getTime();
  else if (typeof seconds !== "number") return { skip: `reminder is ${kindOf(stored)}, not Unix seconds` };
  else if (!Number.isInteger(seconds) || seconds < MIN_SECONDS || seconds > MAX_SECONDS)
    return { skip: `reminder ${String(stored)} is not Unix seconds within the years 1 to 9999, which no client can show; set it (0 for none)` };
  else if (seconds !== 0) reminder = seconds * 1000;
  let state = ORIGINAL_STATES[doc.state as string];
  if (!state) {
    // The original read any other state as NOT_STARTED (its enum's zero), so that is what its clients saw.
    state = "STATE_NOT_STARTED";
    notes.push(`state ${doc.state === undefined ? "is missing" : `is ${kindOf(doc.state)}`}, none the original wrote; copied as NOT_STARTED, as the original showed it`);
  }
  const refused: string[] = [];
  for (const check of [() => parseTitle("title", title), () => parseDescription("description", description), () => parseTags("tags", tags)]) {
    try {
      check();
    } catch (e) {
      if (!(e instanceof InvalidArgumentError)) throw e;
      refused.push(e.message);
    }
  }
  if (refused.length) return { skip: `todo serve's rules refuse it: ${refused.join("; ")}` };
  const time = _id.getTimestamp().getTime();
  const todo = { id: _id.toHexString(), title, description, tags: tags as string[], reminder, state, createTime: time, updateTime: time, version: 1, number: 0 };
  return { todo, notes };
}

/** A digest of a todo's user fields: a copy's mark keeps the original's, to tell later whether they changed. */
function digest(todo: TodoRecord): string {
  return createHash("sha256").update(JSON.stringify([todo.title, todo.description, todo.tags, todo.reminder, todo.state])).digest("hex").slice(0, 32);
}

/** Whether two todos hold the same user fields. */
function sameFields(a: TodoRecord, b: TodoRecord): boolean {
  return (
    a.title === b.title &&
    a.description === b.description &&
    a.reminder === b.reminder &&
    a.state === b.state &&
    a.tags.length === b.tags.length &&
    a.tags.every((tag, i) => tag === b.tags[i])
  );
}

/**
 * Writes migrated todos as todo serve's store writes todos, each with its event for the log: a new one
 * as the store creates one (its document in the store's shape, version 1, with `pending: [created]`), a
 * changed one as the store updates one (the store's compare-and-set on the version read, pushing an
 * updated event naming the fields that changed), each also with the migration's mark. A new todo is
 * conditional on its id being free, a change on the version read, so a concurrent write through todo
 * serve is never overwritten. Any daemon on the collection moves the events into its log (its sweep
 * finds them). Returns the writes that did not happen because of such a concurrent write.
 */
async function writeMigratedTodos(target: Collection<MigratedDocument>, from: string, writes: MigratedWrite[]): Promise<MigratedWrite[]> {
  const mark = (todo: TodoRecord) => ({ from, version: todo.version, digest: digest(todo) });
  const missed: MigratedWrite[] = [];
  const created = writes.filter((w) => w.copy === undefined);
  // In slices, as the store's own bulk commands: FerretDB 1.24 can leave a large one unanswered.
  for (let i = 0; i < created.length; i += BULK_SLICE) {
    const slice = created.slice(i, i + BULK_SLICE);
    const documents = slice.map(({ todo }): MigratedDocument => {
      const event = changeOf("created", todo, { version: todo.version, time: todo.createTime, actor: MIGRATE_ACTOR });
      return { ...toStored(todo), pending: [toPending(event)], migrated: mark(todo) };
    });
    try {
      await target.insertMany(documents, { ordered: false });
    } catch (e) {
      if (!(e instanceof MongoBulkWriteError)) throw e;
      const errors = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
      for (const error of errors) {
        if (error.code !== 11000) throw e; // only "the id was taken meanwhile" is expected
        missed.push(slice[error.index]!);
      }
    }
  }
  for (const write of writes) {
    if (!write.copy) continue;
    const { doc, current } = write.copy;
    const changed = Object.fromEntries(differingFields(current, write.todo).map((f) => [f, write.todo[f as keyof TodoFields]])) as Partial<TodoFields>;
    const next = updated(current, changed, write.todo.updateTime, MIGRATE_ACTOR);
    next.update.$set.migrated = mark(next.change.todo);
    const { filter, update } = compareAndSet(doc, next);
    const result = await target.updateOne(filter, update);
    if (result.matchedCount === 0) missed.push(write);
  }
  return missed;
}

/** A driver error as one line naming what to check, without the connection string's secrets. */
function explain(error: unknown, url: string): Error {
  if (!(error instanceof MongoError)) return error as Error;
  const where = `MongoDB at ${redactUrl(url)}`;
  const message = scrub(error.message, url, secretsOf(url));
  if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError) {
    const cause = /\b(E[A-Z]{3,})\b/.exec(message)?.[1] ?? message;
    return new MigrationError(`cannot reach ${where} (${cause}); check --mongo-url / MONGO_URL`);
  }
  if (error instanceof MongoServerError && error.code === 18) return new MigrationError(`${where} refused the credentials in --mongo-url / MONGO_URL (${message})`);
  if (error instanceof MongoServerError && error.code === 13) return new MigrationError(`${where} does not allow this user to do that: ${message}`);
  return new MigrationError(`${where} failed: ${message}`);
}

/** Copies the original's todos into todo serve's collection; see the top of this file. */
export async function migrateOriginal(options: MigrateOptions): Promise<MigrationReport> {
  const source = options.from ?? ORIGINAL;
  const from = `${source.database}.${source.collection}`;
  const targetDatabase = storeDatabase(options.url, options.database);
  const to = `${targetDatabase}.${COLLECTION}`;
  if (from === to) throw new MigrationError(`the original's collection and todo serve's are both ${to}: nothing to copy`, true);
  const report: MigrationReport = { from, to, created: 0, updated: 0, unchanged: 0, skipped: 0, gone: [] };
  let client: MongoClient;
  try {
    // A person waits: say it is unreachable after 10 s, not the driver's 30 (unless the URL says).
    client = new MongoClient(options.url, { appName: "todo migrate", ...(/[?&]serverSelectionTimeoutMS=/i.test(options.url) ? {} : { serverSelectionTimeoutMS: 10_000 }) });
  } catch (e) {
    const message = scrub((e as Error).message, options.url, secretsOf(options.url));
    throw new MigrationError(`--mongo-url / MONGO_URL is not a usable MongoDB connection string (${redactUrl(options.url)}): ${message}`, true);
  }
  try {
    const db = client.db(source.database);
    if (!(await db.listCollections({ name: source.collection }, { nameOnly: true }).toArray()).length)
      throw new MigrationError(`${redactUrl(options.url)} has no collection ${from}: the original todod keeps its todos in ${ORIGINAL.database}.${ORIGINAL.collection} (see --from-db, --from-collection)`, true);
    const original = db.collection(source.collection);
    const target = client.db(targetDatabase).collection<MigratedDocument>(COLLECTION);
    const seen = new Set<string>();
    // Both collections are read once, side by side in _id order (a merge join), rather than looking each
    // batch's ids up: FerretDB answers a lookup of 1,000 ids about as slowly as a scan of everything.
    const copies = target.find({}, { sort: { _id: 1 }, batchSize: BATCH });
    let next = await copies.next();
    const idOf = (doc: Document) => (doc._id instanceof ObjectId ? doc._id.toHexString() : null);
    /**
     * Moves past todo serve's copies before `id` (all of them for null) and returns the copy of `id`, if
     * any. A copy passed that came from the original but is no longer there is gone. Hex strings of one
     * length sort as their ObjectIds do.
     */
    const copyOf = async (id: string | null): Promise<MigratedDocument | undefined> => {
      for (; next; next = await copies.next()) {
        const copyId = idOf(next);
        if (copyId === null) continue; // not an id todo serve gives
        if (id !== null && copyId >= id) break;
        // Listed, not deleted: with a mistyped --from-collection every copy would look gone. (A copy
        // deleted through todo serve is a tombstone: gone from both, nothing to say.)
        if (next.migrated?.from === from && !next.deleted && !seen.has(copyId)) report.gone.push(copyId);
      }
      return next && id !== null && idOf(next) === id ? next : undefined;
    };

    const migrateBatch = async (batch: { doc: Document; copy?: MigratedDocument }[]) => {
      const writes: MigratedWrite[] = [];
      const notes = new Map<MigratedWrite, string[]>();
      // Told once the batch is written, in the order of the original's ids.
      const told: MigrationNote[] = [];
      const note = (id: string, copied: boolean, message: string) => told.push({ id, copied, message });
      for (const { doc, copy } of batch) {
        const converted = fromOriginal(doc);
        if ("skip" in converted) {
          report.skipped++;
          note(String(doc._id), false, `not copied: ${converted.skip}; correct it in ${from} and run todo migrate again`);
          continue;
        }
        const { todo, notes: said } = converted;
        if (!copy) {
          const write = { todo };
          writes.push(write);
          notes.set(write, said);
          continue;
        }
        const mark = copy.migrated?.from === from ? copy.migrated : undefined;
        if (copy.deleted) {
          // Deleted through todo serve (its tombstone keeps the mark): that deletion is todo serve's change, kept.
          if (mark?.digest === digest(todo)) {
            report.unchanged++;
            continue;
          }
          report.skipped++;
          const since = mark ? `changed in ${from} and deleted through todo serve since it was migrated` : "deleted through todo serve";
          note(todo.id, false, `not copied: ${since}; todo serve's deletion is kept (todo import with its id would create it again)`);
          continue;
        }
        let current: TodoRecord;
        try {
          current = toRecord(copy);
        } catch (e) {
          if (!(e instanceof UnreadableTodoError)) throw e;
          report.skipped++;
          note(todo.id, false, `not copied: ${e.message} (in ${to})`);
          continue;
        }
        // Unchanged: the original has not changed since the copy was written, or the copy already holds its fields.
        if (mark?.digest === digest(todo) || sameFields(current, todo)) {
          report.unchanged++;
          continue;
        }
        if (mark && mark.version !== current.version) {
          report.skipped++;
          note(todo.id, false, `not copied: changed in ${from} and through todo serve since it was migrated; todo serve's version is kept, compare the two by hand`);
          continue;
        }
        const write = { todo: { ...todo, createTime: current.createTime, updateTime: Date.now(), version: current.version + 1 }, copy: { doc: copy, current } };
        writes.push(write);
        notes.set(write, said);
      }
      const missed = new Set(options.dryRun ? [] : await writeMigratedTodos(target, from, writes));
      for (const write of writes) {
        if (missed.has(write)) {
          report.skipped++;
          note(write.todo.id, false, "not copied: written through todo serve while todo migrate ran; run todo migrate again");
          continue;
        }
        if (write.copy === undefined) report.created++;
        else report.updated++;
        for (const message of notes.get(write) ?? []) note(write.todo.id, true, message);
      }
      for (const n of told.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) options.onNote?.(n);
    };

    let batch: { doc: Document; copy?: MigratedDocument }[] = [];
    for await (const doc of original.find({}, { sort: { _id: 1 }, batchSize: BATCH })) {
      const id = idOf(doc);
      if (id !== null) seen.add(id);
      batch.push({ doc, copy: id === null ? undefined : await copyOf(id) });
      if (batch.length === BATCH) {
        await migrateBatch(batch);
        batch = [];
      }
    }
    if (batch.length) await migrateBatch(batch);
    await copyOf(null);
    return report;
  } catch (e) {
    throw explain(e, options.url);
  } finally {
    await client.close();
  }
}
