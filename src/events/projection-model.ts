// The query side's model: the todos as the event stream tells them, kept in a SQLite file of its own
// (`todo project` writes it, `todo stats` reads it). Every batch of stream messages is applied in one
// transaction together with the stream offset to resume from, so a crash at any point neither applies
// a message twice nor skips one. Duplicates (a relay that republishes after a restart) change nothing:
// a todo's events carry consecutive versions, so an event at or below the version already applied is
// one seen before; a reminder_due carries the todo's current version (a firing does not change the
// todo, moving the reminder does), so it is deduplicated on (todo, version). The storage is bounded by the todos, not by the events: no event ids are kept, a
// deleted todo leaves only its id and version (so a late duplicate cannot bring it back), and at most
// REJECTED_KEPT rejected messages are kept (their total is counted).
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { TodoRecord } from "../todos/model";
import { STATES, type State, shortState } from "../vocabulary/todo";
import type { TodoEvent } from "../todos/ports";

const SCHEMA_VERSION = 2;
/** Files of schema 1 lack the todos' short numbers; todo project adds the column, todo stats reads them without. */
const OLDEST_READABLE = 1;
/** Rejected messages kept for a person to look at; older ones are only counted. */
export const REJECTED_KEPT = 1000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS todos (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  title TEXT, description TEXT, state TEXT, tags TEXT, reminder INTEGER,
  create_time INTEGER, update_time INTEGER,
  position INTEGER NOT NULL,
  number INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS todos_live_state ON todos (state) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS todos_live_reminder ON todos (reminder) WHERE deleted = 0 AND reminder IS NOT NULL;
CREATE TABLE IF NOT EXISTS todo_tags (tag TEXT NOT NULL, todo_id TEXT NOT NULL, PRIMARY KEY (tag, todo_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS todo_tags_todo ON todo_tags (todo_id);
CREATE TABLE IF NOT EXISTS done_per_day (day TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reminders_due (
  todo_id TEXT NOT NULL, reminder INTEGER NOT NULL, version INTEGER NOT NULL, time INTEGER NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (todo_id, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rejected (
  stream_offset INTEGER PRIMARY KEY, time INTEGER NOT NULL, message_id TEXT, content_type TEXT, reason TEXT NOT NULL
);
`;

/** One stream message, decoded or not. */
export type StreamItem =
  | { offset: number; event: TodoEvent }
  | { offset: number; rejected: { reason: string; messageId?: string; contentType?: string } };

export interface BatchResult {
  applied: number;
  duplicates: number;
  rejected: number;
}

export interface ProjectionStats {
  stream: string | null;
  /** The stream offset the projector resumes from (the next message it has not applied). */
  offset: number;
  /** The highest log position applied. */
  last_position: number;
  events_applied: number;
  duplicates: number;
  rejected: number;
  total: number;
  by_state: Record<string, number>;
  by_tag: Record<string, number>;
  /** DONE transitions per UTC day (YYYY-MM-DD). */
  done_by_day: Record<string, number>;
  /** Todos not done whose reminder has passed. */
  overdue: number;
  /** reminder_due events seen for todos that still exist. */
  reminders_fired: number;
  updated_at: string | null;
}

export interface OverdueTodo {
  id: string;
  title: string;
  reminder: number;
  /** A reminder_due event for this reminder was seen. */
  fired: boolean;
}

/** A message the projection could not apply, as it keeps it. */
export interface RejectedMessage {
  stream_offset: number;
  time: number;
  message_id: string | null;
  content_type: string | null;
  reason: string;
}

/** Thrown when the file is missing, empty, or not a projection: `todo stats` says so in one line. */
export class NoProjectionError extends Error {}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const isTime = (v: unknown) => Number.isSafeInteger(v);
const isText = (v: unknown) => typeof v === "string";

/**
 * Why an event cannot be applied, or null. The decoder checks the schema; this is the model's own
 * guard, so that no event of another shape (a decoder's gap) reaches a statement: bound there, an
 * object fails the whole batch, and the projection would stop at that offset on every restart.
 */
export function invalidEvent(e: TodoEvent): { reason: string; messageId?: string } | null {
  const t = e.todo as Partial<TodoRecord> | undefined;
  const bad = (reason: string) => ({ reason, messageId: isText(e.eventId) ? e.eventId : undefined });
  if (!["created", "updated", "deleted", "reminder_due"].includes(e.kind)) return bad("kind: not a change the projection knows");
  if (!isText(e.todoId) || e.todoId === "") return bad("todo_id: must be a non-empty string");
  if (!Number.isSafeInteger(e.position) || e.position < 1) return bad("position: must be an integer from 1 on");
  if (!Number.isSafeInteger(e.version) || e.version < 1) return bad("version: must be an integer from 1 on");
  if (!isTime(e.time)) return bad("time: must be a time in milliseconds");
  if (e.kind === "reminder_due" && e.reminder !== undefined && !isTime(e.reminder)) return bad("reminder_due.reminder: must be a time in milliseconds");
  if (!t || typeof t !== "object") return bad("todo: missing");
  if (!isText(t.title) || !isText(t.description)) return bad("todo: title and description must be strings");
  if (!(STATES as readonly unknown[]).includes(t.state)) return bad(`todo.state: must be one of ${STATES.join(", ")}`);
  if (!Array.isArray(t.tags) || !t.tags.every(isText)) return bad("todo.tags: must be strings");
  if (t.reminder !== null && !isTime(t.reminder)) return bad("todo.reminder: must be a time in milliseconds or none");
  if (!isTime(t.createTime) || !isTime(t.updateTime)) return bad("todo: create_time and update_time must be times in milliseconds");
  return null;
}

interface TodoRow {
  id: string;
  version: number;
  deleted: number;
  title: string;
  description: string;
  state: string;
  tags: string;
  reminder: number | null;
  create_time: number;
  update_time: number;
  /** Absent in files of schema 1. */
  number?: number;
}

export class ProjectionModel {
  private constructor(private readonly db: Database) {}

  /** Opens (creating when missing) the projection file for `todo project`. */
  static openForWriting(path: string): ProjectionModel {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const db = new Database(path, { create: true, readwrite: true, strict: true });
    db.run("PRAGMA busy_timeout = 5000");
    db.run("PRAGMA journal_mode = WAL");
    // The offset commits with the batch; FULL makes a committed batch survive a power cut too.
    db.run("PRAGMA synchronous = FULL");
    const version = (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new NoProjectionError(`${path} is a projection of a newer release (schema ${version}); use that release or another --db`);
    }
    db.transaction(() => {
      db.run(SCHEMA);
      if (version === 1) db.run("ALTER TABLE todos ADD COLUMN number INTEGER NOT NULL DEFAULT 0");
      db.run(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    })();
    return new ProjectionModel(db);
  }

  /** Opens an existing projection file read-only for `todo stats`. */
  static openForReading(path: string): ProjectionModel {
    let db: Database;
    try {
      db = new Database(path, { readonly: true, strict: true });
    } catch {
      throw new NoProjectionError(`no projection at ${path}: run todo project to build one (or name another file with --db)`);
    }
    let version = 0;
    try {
      version = (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
    } catch {}
    if (version < OLDEST_READABLE || version > SCHEMA_VERSION) {
      db.close();
      throw new NoProjectionError(`${path} is not a projection todo project wrote${version > SCHEMA_VERSION ? ` (schema ${version} is newer than this release's)` : ""}`);
    }
    db.run("PRAGMA busy_timeout = 5000");
    return new ProjectionModel(db);
  }

  close(): void {
    this.db.close();
  }

  private meta(key: string): unknown {
    return (this.db.query("SELECT value FROM meta WHERE key = ?").get(key) as { value: unknown } | null)?.value ?? null;
  }

  private setMeta(key: string, value: string | number): void {
    this.db.query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  private addMeta(key: string, by: number): void {
    if (by) this.db.query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = value + excluded.value").run(key, by);
  }

  /** The stream this file projects, or null before the first batch. */
  stream(): string | null {
    return (this.meta("stream") as string | null) ?? null;
  }

  /** The stream offset to resume from, or null before the first batch. */
  resumeOffset(): number | null {
    const value = this.meta("next_offset");
    return value === null ? null : Number(value);
  }

  /** Binds the file to a stream the first time; a file of another stream is refused (its offset means nothing there). */
  claimStream(stream: string): void {
    const current = this.stream();
    if (current !== null && current !== stream)
      throw new NoProjectionError(`the projection file holds stream "${current}", not "${stream}": use --events-stream ${current}, or another --db for this stream`);
    if (current === null) this.setMeta("stream", stream);
  }

  /** Applies a batch and records `nextOffset` in the same transaction. */
  applyBatch(items: StreamItem[], nextOffset: number): BatchResult {
    const result: BatchResult = { applied: 0, duplicates: 0, rejected: 0 };
    this.db.transaction(() => {
      let lastPosition = Number(this.meta("last_position") ?? 0);
      for (const item of items) {
        const problem = "rejected" in item ? item.rejected : invalidEvent(item.event);
        if (problem) {
          this.reject(item.offset, problem);
          result.rejected++;
        } else if (this.apply((item as { event: TodoEvent }).event)) {
          result.applied++;
          lastPosition = Math.max(lastPosition, (item as { event: TodoEvent }).event.position);
        } else result.duplicates++;
      }
      this.setMeta("next_offset", nextOffset);
      this.setMeta("last_position", lastPosition);
      this.addMeta("events_applied", result.applied);
      this.addMeta("duplicates", result.duplicates);
      this.addMeta("rejected", result.rejected);
      this.setMeta("updated_at", Date.now());
    })();
    return result;
  }

  private reject(offset: number, r: { reason: string; messageId?: string; contentType?: string }): void {
    this.db
      .query("INSERT OR REPLACE INTO rejected (stream_offset, time, message_id, content_type, reason) VALUES (?, ?, ?, ?, ?)")
      .run(offset, Date.now(), r.messageId?.slice(0, 200) ?? null, r.contentType?.slice(0, 200) ?? null, r.reason.slice(0, 500));
    this.db.query("DELETE FROM rejected WHERE stream_offset <= (SELECT stream_offset FROM rejected ORDER BY stream_offset DESC LIMIT 1 OFFSET ?)").run(REJECTED_KEPT);
  }

  /** Applies one event; false when it was seen before. */
  private apply(event: TodoEvent): boolean {
    const row = this.db.query("SELECT version, deleted, state FROM todos WHERE id = ?").get(event.todoId) as { version: number; deleted: number; state: string } | null;
    if (event.kind === "reminder_due") {
      if (row && (row.deleted || row.version > event.version)) return false;
      const fired = this.db
        .query("INSERT OR IGNORE INTO reminders_due (todo_id, reminder, version, time, position) VALUES (?, ?, ?, ?, ?)")
        .run(event.todoId, event.reminder ?? event.todo.reminder ?? 0, event.version, event.time, event.position).changes;
      // Its snapshot is the todo at its current version: new to us only if we missed events before it.
      if (!row || row.version < event.version) this.upsert(event, row);
      return fired > 0;
    }
    if (row && event.version <= row.version) return false;
    if (event.kind === "deleted") {
      this.db
        .query("INSERT OR REPLACE INTO todos (id, version, deleted, position) VALUES (?, ?, 1, ?)")
        .run(event.todoId, event.version, event.position);
      this.db.query("DELETE FROM todo_tags WHERE todo_id = ?").run(event.todoId);
      this.db.query("DELETE FROM reminders_due WHERE todo_id = ?").run(event.todoId);
    } else {
      this.upsert(event, row);
    }
    return true;
  }

  private upsert(event: TodoEvent, row: { deleted: number; state: string } | null): void {
    const t = event.todo;
    this.db
      .query(
        `INSERT OR REPLACE INTO todos (id, version, deleted, title, description, state, tags, reminder, create_time, update_time, position, number)
         VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(event.todoId, event.version, t.title, t.description, t.state, JSON.stringify(t.tags), t.reminder, t.createTime, t.updateTime, event.position, t.number ?? 0);
    this.db.query("DELETE FROM todo_tags WHERE todo_id = ?").run(event.todoId);
    const tag = this.db.query("INSERT OR IGNORE INTO todo_tags (tag, todo_id) VALUES (?, ?)");
    for (const name of t.tags) tag.run(name, event.todoId);
    const wasDone = row !== null && !row.deleted && row.state === "STATE_DONE";
    if (t.state === "STATE_DONE" && !wasDone)
      this.db.query("INSERT INTO done_per_day (day, count) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET count = count + 1").run(utcDay(event.time));
  }

  stats(now = Date.now()): ProjectionStats {
    return this.db.transaction(() => {
      const count = (key: string) => Number(this.meta(key) ?? 0);
      const byState: Record<string, number> = Object.fromEntries(STATES.map((s) => [shortState(s), 0]));
      for (const r of this.db.query("SELECT state, COUNT(*) AS n FROM todos WHERE deleted = 0 GROUP BY state").all() as { state: State; n: number }[])
        byState[shortState(r.state)] = r.n;
      const map = (sql: string) => Object.fromEntries((this.db.query(sql).all() as { key: string; n: number }[]).map((r) => [r.key, r.n]));
      const updatedAt = this.meta("updated_at");
      return {
        stream: this.stream(),
        offset: this.resumeOffset() ?? 0,
        last_position: count("last_position"),
        events_applied: count("events_applied"),
        duplicates: count("duplicates"),
        rejected: count("rejected"),
        total: Object.values(byState).reduce((a, b) => a + b, 0),
        by_state: byState,
        by_tag: map("SELECT tag AS key, COUNT(*) AS n FROM todo_tags GROUP BY tag ORDER BY n DESC, tag"),
        done_by_day: map("SELECT day AS key, count AS n FROM done_per_day ORDER BY day"),
        overdue: (this.db.query("SELECT COUNT(*) AS n FROM todos WHERE deleted = 0 AND state != 'STATE_DONE' AND reminder < ?").get(now) as { n: number }).n,
        reminders_fired: (this.db.query("SELECT COUNT(*) AS n FROM reminders_due").get() as { n: number }).n,
        updated_at: updatedAt === null ? null : new Date(Number(updatedAt)).toISOString(),
      };
    })();
  }

  /** Overdue todos, the longest overdue first, at most `limit`. */
  overdue(limit: number, now = Date.now()): OverdueTodo[] {
    const rows = this.db
      .query(
        `SELECT t.id, t.title, t.reminder, EXISTS (SELECT 1 FROM reminders_due d WHERE d.todo_id = t.id AND d.reminder = t.reminder) AS fired
         FROM todos t WHERE t.deleted = 0 AND t.state != 'STATE_DONE' AND t.reminder < ? ORDER BY t.reminder, t.id LIMIT ?`,
      )
      .all(now, limit) as { id: string; title: string; reminder: number; fired: number }[];
    return rows.map((r) => ({ ...r, fired: r.fired === 1 }));
  }

  /** The latest rejected messages, newest first. */
  rejectedMessages(limit: number): RejectedMessage[] {
    return this.db.query<RejectedMessage, [number]>("SELECT * FROM rejected ORDER BY stream_offset DESC LIMIT ?").all(limit);
  }

  /** The projected todos, oldest first. */
  *todos(): Generator<TodoRecord> {
    for (const r of this.db.query("SELECT * FROM todos WHERE deleted = 0 ORDER BY create_time, id").iterate() as IterableIterator<TodoRow>)
      yield {
        id: r.id,
        title: r.title,
        description: r.description,
        tags: JSON.parse(r.tags),
        reminder: r.reminder,
        state: r.state as State,
        createTime: r.create_time,
        updateTime: r.update_time,
        version: r.version,
        // Schema 1 files have no column: their todos were projected before numbers existed.
        number: r.number ?? 0,
      };
  }
}
