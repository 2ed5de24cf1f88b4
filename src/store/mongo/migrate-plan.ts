// `todo migrate`'s conversion and planning, without I/O: the todo an original document holds, and for a
// batch of the original's documents beside todo serve's copies what to write, what to count, and what
// to tell (migrate-original.ts reads and writes; the whole account is at its top).
import { createHash } from "node:crypto";
import { type Document, type Filter, Long, ObjectId, type UpdateFilter } from "mongodb";
import { InvalidArgumentError, UnreadableTodoError } from "../../todos/errors";
import { changeOf, differingFields } from "../../todos/changes";
import type { TodoFields, TodoRecord } from "../../todos/model";
import { parseDescription, parseTags, parseTitle } from "../../todos/rules";
import { firstSeq } from "./claims";
import { armed, compareAndSet, kindOf, type StoredDocument, toPending, toRecord, toStored, updated } from "./documents";
import { ORIGINAL_STATES, REMINDER_SECONDS } from "./original-data";

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

/** The store's document plus where, and at which version, a migration wrote it. */
export type MigratedDocument = StoredDocument & { migrated?: { from: string; version: number; digest: string } };

/** One todo to write: new (version 1), or a new version of todo serve's copy as read (`copy`). */
export interface MigratedWrite {
  todo: TodoRecord;
  /** todo serve's copy this write replaces, as read, and its todo; absent for a new todo. */
  copy?: { doc: MigratedDocument; current: TodoRecord };
}

/** The actor of the events a migration writes. */
export const MIGRATE_ACTOR = "todo migrate";

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


/** One document of the original's, and todo serve's copy of it if there is one. */
export interface BatchItem {
  doc: Document;
  copy?: MigratedDocument;
}

/** What a batch comes to: the writes to make, each with the notes told once it is made, and the notes told whatever is written. */
export interface BatchPlan {
  writes: MigratedWrite[];
  notes: Map<MigratedWrite, string[]>;
  /** Told once the batch is written, in the order of the original's ids. */
  told: MigrationNote[];
}

/**
 * Decides a batch: each document of the original's is converted and compared with todo serve's copy,
 * and is a write (new, or a change of the copy), unchanged, or skipped with a note. Counts the unchanged
 * and the skipped into `report`; the writes are counted once written (`tellBatch`).
 */
export function planBatch(batch: BatchItem[], report: MigrationReport): BatchPlan {
  const { from, to } = report;
  const writes: MigratedWrite[] = [];
  const notes = new Map<MigratedWrite, string[]>();
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
  return { writes, notes, told };
}

/**
 * Counts a batch's writes into `report` once written (`missed`: those a concurrent write through todo
 * serve kept from happening), and returns the batch's notes in the order of the original's ids.
 */
export function tellBatch({ writes, notes, told }: BatchPlan, missed: Set<MigratedWrite>, report: MigrationReport): MigrationNote[] {
  const note = (id: string, copied: boolean, message: string) => told.push({ id, copied, message });
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
  return told.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** The mark a copy carries: where it came from, the version written, and a digest of the original's fields. */
function markOf(from: string, todo: TodoRecord): NonNullable<MigratedDocument["migrated"]> {
  return { from, version: todo.version, digest: digest(todo) };
}

/**
 * A new todo's copy, as the store creates one: in the store's shape, numbered (`number`, claimed before
 * it is written), its reminder armed if still ahead (one already passed never fires, as at an upgrade:
 * docs/events.md, "Reminders"), with its created event pending, and marked. Nothing is left for a
 * daemon's upgrade to do to it: only its event to move into the log.
 */
export function newCopy(todo: TodoRecord, number: number, from: string, now = Date.now()): MigratedDocument {
  const numbered = { ...todo, number };
  const event = changeOf("created", numbered, { version: todo.version, time: todo.createTime, actor: MIGRATE_ACTOR });
  const reminderDue = todo.reminder !== null && todo.reminder > now ? armed(todo.reminder) : null;
  return { ...toStored(numbered), reminder_due: reminderDue, pending: [toPending(event)], migrated: markOf(from, todo), seq: firstSeq() };
}

/**
 * A change of todo serve's copy to `todo`, as the store updates one: its compare-and-set on the version
 * read, pushing an updated event that names the fields that changed, and the new mark.
 */
export function changedCopy(copy: NonNullable<MigratedWrite["copy"]>, todo: TodoRecord, from: string): { filter: Filter<StoredDocument>; update: UpdateFilter<StoredDocument> } {
  const { doc, current } = copy;
  const changed = Object.fromEntries(differingFields(current, todo).map((f) => [f, todo[f as keyof TodoFields]])) as Partial<TodoFields>;
  const next = updated(current, changed, todo.updateTime, MIGRATE_ACTOR);
  next.update.$set.migrated = markOf(from, next.change.todo);
  return compareAndSet(doc, next);
}
