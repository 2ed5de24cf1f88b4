// The embedded store: one SQLite file, WAL mode, every commit fsynced (synchronous=FULL) before it is
// acknowledged. Each write and its event commit in one transaction, and SQLite's single writer gives
// positions (the events table's rowid) in commit order, so the log has no gap a reader could pass.
import { Database, SQLiteError } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { RE2JS } from "re2js";
import { newId } from "../../todos/id";
import type { State, TodoFields, TodoRecord } from "../../todos/model";
import { checkCancelled } from "../../todos/context";
import { AlreadyExistsError, NotFoundError, UnavailableError, VersionMismatchError } from "../../todos/errors";
import { changeOf, differingFields } from "../../todos/changes";
import type { Change, ChangeKind, CreateOptions, Leases, SearchPage, SearchQuery, TodoEvent, TodoStore, WriteOptions } from "../../todos/ports";
import { SqliteLeases } from "./leases";

interface TodoRow {
  id: string;
  title: string;
  description: string;
  tags: string;
  reminder: number | null;
  state: string;
  create_time: number;
  update_time: number;
  version: number;
}

interface EventRow {
  position: number;
  event_id: string;
  todo_id: string;
  version: number;
  kind: string;
  time: number;
  actor: string;
  changed_fields: string;
  todo: string;
}

const EVENTS_TABLE = `CREATE TABLE events (
     position INTEGER PRIMARY KEY AUTOINCREMENT,
     event_id TEXT NOT NULL UNIQUE,
     todo_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     kind TEXT NOT NULL,
     time INTEGER NOT NULL,
     actor TEXT NOT NULL,
     changed_fields TEXT NOT NULL,
     todo TEXT NOT NULL
   ) STRICT;
   CREATE INDEX events_todo_version ON events (todo_id, version);`;

const INSERT_EVENT = "INSERT INTO events (position, event_id, todo_id, version, kind, time, actor, changed_fields, todo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

/** Schema versions in order; each runs once, in the transaction that raises PRAGMA user_version. */
const MIGRATIONS: (string | ((db: Database) => void))[] = [
  `CREATE TABLE todos (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     description TEXT NOT NULL,
     tags TEXT NOT NULL,
     reminder INTEGER,
     state TEXT NOT NULL,
     create_time INTEGER NOT NULL,
     update_time INTEGER NOT NULL,
     version INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX todos_create_time ON todos (create_time, id);
   CREATE INDEX todos_update_time ON todos (update_time, id);
   CREATE INDEX todos_reminder ON todos (reminder, id);
   CREATE INDEX todos_title ON todos (title, id);
   CREATE INDEX todos_state ON todos (state);
   CREATE TABLE changes (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     todo_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     kind TEXT NOT NULL,
     time INTEGER NOT NULL,
     todo TEXT NOT NULL
   ) STRICT;`,
  upgradeChangesToEvents,
];

/**
 * Version 2: the `changes` outbox of earlier releases becomes the event log. Each change keeps its
 * sequence number as its position and gets an event id; an update's changed fields are those that differ
 * from the todo's previous change. Earlier releases restarted an id's versions at 1 when it was created
 * again after a delete; that generation's versions (and the live todo's, so its etag) move past the
 * deleted one, so (todo id, version) names one event. A todo whose current version has no change gets a
 * TodoCreated at that version, so every todo's history starts somewhere.
 */
function upgradeChangesToEvents(db: Database) {
  db.exec(EVENTS_TABLE);
  const insert = db.prepare(INSERT_EVENT);
  const previous = new Map<string, TodoRecord>();
  const lastVersion = new Map<string, number>();
  const offset = new Map<string, number>();
  for (const row of db.query<{ seq: number; todo_id: string; version: number; kind: ChangeKind; time: number; todo: string }, []>("SELECT * FROM changes ORDER BY seq").iterate()) {
    if (row.kind === "created") offset.set(row.todo_id, lastVersion.get(row.todo_id) ?? 0);
    const shift = offset.get(row.todo_id) ?? 0;
    const todo = { ...(JSON.parse(row.todo) as TodoRecord) };
    todo.version += shift;
    const version = row.version + shift;
    const before = previous.get(row.todo_id);
    const changed = row.kind === "updated" && before ? differingFields(before, todo) : [];
    const change = changeOf(row.kind, todo, { version, time: row.time, changedFields: changed });
    insert.run(row.seq, change.eventId, row.todo_id, version, row.kind, row.time, "", JSON.stringify(change.changedFields), JSON.stringify(todo));
    previous.set(row.todo_id, todo);
    lastVersion.set(row.todo_id, version);
  }
  for (const [id, shift] of offset) if (shift > 0) db.query("UPDATE todos SET version = version + ? WHERE id = ?").run(shift, id);
  const unlogged = db.query<TodoRow, []>("SELECT * FROM todos WHERE NOT EXISTS (SELECT 1 FROM events WHERE events.todo_id = todos.id AND events.version = todos.version)");
  for (const row of unlogged.all()) {
    const todo = toRecord(row);
    const change = changeOf("created", todo, { version: todo.version, time: todo.updateTime });
    insert.run(null, change.eventId, todo.id, todo.version, "created", todo.updateTime, "", "[]", JSON.stringify(todo));
  }
  db.exec("DROP TABLE changes");
}

/** Rows scanned per step when a pattern filters in JavaScript; the event loop runs between steps. */
const SCAN_BATCH = 500;

const SORT_COLUMN = { create_time: "create_time", update_time: "update_time", reminder: "reminder", title: "title" } as const;

function toRecord(row: TodoRow): TodoRecord {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    tags: JSON.parse(row.tags),
    reminder: row.reminder,
    state: row.state as State,
    createTime: row.create_time,
    updateTime: row.update_time,
    version: row.version,
  };
}

function toEvent(row: EventRow): TodoEvent {
  return {
    position: row.position,
    eventId: row.event_id,
    kind: row.kind as ChangeKind,
    todoId: row.todo_id,
    version: row.version,
    time: row.time,
    actor: row.actor,
    changedFields: JSON.parse(row.changed_fields),
    todo: JSON.parse(row.todo),
  };
}

/** SQLite errors that mean "the disk or file cannot serve now", as opposed to a bug. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|CORRUPT|NOTADB|PROTOCOL)/;

function translate(error: unknown): never {
  if (error instanceof SQLiteError && UNAVAILABLE_CODES.test(error.code ?? ""))
    throw new UnavailableError(`the SQLite store cannot serve: ${error.message}`);
  throw error;
}

export class SqliteStore implements TodoStore {
  private readonly db: Database;

  /** Opens (creating if needed) `todos.db` in `dataDir`. */
  static open(dataDir: string): SqliteStore {
    try {
      mkdirSync(dataDir, { recursive: true });
      return new SqliteStore(new Database(join(dataDir, "todos.db"), { create: true, strict: true }));
    } catch (e) {
      throw new UnavailableError(`cannot open the data directory ${dataDir}: ${(e as Error).message}; set TODO_DATA_DIR to a writable directory`);
    }
  }

  private constructor(db: Database) {
    this.db = db;
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA foreign_keys = ON");
    this.migrate();
  }

  private migrate() {
    const { user_version } = this.db.query<{ user_version: number }, []>("PRAGMA user_version").get()!;
    if (user_version > MIGRATIONS.length)
      throw new Error(`the data file's schema (version ${user_version}) is newer than this todo understands; upgrade todo`);
    this.db.transaction(() => {
      for (let v = user_version; v < MIGRATIONS.length; v++) {
        const migration = MIGRATIONS[v]!;
        if (typeof migration === "string") this.db.exec(migration);
        else migration(this.db);
      }
      this.db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
    })();
  }

  private row(id: string): TodoRow | null {
    return this.db.query<TodoRow, [string]>("SELECT * FROM todos WHERE id = ?").get(id);
  }

  /** Appends a write's event; called inside the write's transaction. */
  private append(change: Change): Change {
    const { eventId, todoId, version, kind, time, actor, changedFields, todo } = change;
    this.db.query(INSERT_EVENT).run(null, eventId, todoId, version, kind, time, actor, JSON.stringify(changedFields), JSON.stringify(todo));
    return change;
  }

  private insertTodo(todo: TodoRecord) {
    this.db
      .query("INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .run(todo.id, todo.title, todo.description, JSON.stringify(todo.tags), todo.reminder, todo.state, todo.createTime, todo.updateTime, todo.version);
  }

  private replaceTodo(todo: TodoRecord) {
    this.db
      .query("UPDATE todos SET title = ?, description = ?, tags = ?, reminder = ?, state = ?, update_time = ?, version = ? WHERE id = ?")
      .run(todo.title, todo.description, JSON.stringify(todo.tags), todo.reminder, todo.state, todo.updateTime, todo.version, todo.id);
  }

  async create(fields: TodoFields, options: WriteOptions & CreateOptions = {}): Promise<Change> {
    const { id, actor, times } = options;
    try {
      return this.db.transaction(() => {
        const now = Date.now();
        if (id && this.row(id)) throw new AlreadyExistsError(id);
        // An id deleted before continues its versions, so (todo id, version) names one event forever.
        const last = id ? (this.db.query<{ v: number | null }, [string]>("SELECT max(version) AS v FROM events WHERE todo_id = ?").get(id)?.v ?? 0) : 0;
        const todo: TodoRecord = { ...fields, id: id ?? newId(now), createTime: times?.createTime ?? now, updateTime: times?.updateTime ?? now, version: last + 1 };
        this.insertTodo(todo);
        return this.append(changeOf("created", todo, { version: todo.version, time: now, actor }));
      }).immediate();
    } catch (e) {
      return translate(e);
    }
  }

  async get(id: string): Promise<TodoRecord | null> {
    try {
      const row = this.row(id);
      return row ? toRecord(row) : null;
    } catch (e) {
      return translate(e);
    }
  }

  /** The stored todo, after checking it exists and matches the expected version. */
  private current(id: string, expectedVersion?: number): TodoRecord {
    const row = this.row(id);
    if (!row) throw new NotFoundError(id);
    if (expectedVersion !== undefined && row.version !== expectedVersion) throw new VersionMismatchError(id);
    return toRecord(row);
  }

  async update(id: string, fields: Partial<TodoFields>, options: WriteOptions & { expectedVersion?: number } = {}): Promise<Change> {
    try {
      return this.db.transaction(() => {
        const now = Date.now();
        const before = this.current(id, options.expectedVersion);
        const todo: TodoRecord = { ...before, ...fields, updateTime: now, version: before.version + 1 };
        this.replaceTodo(todo);
        return this.append(changeOf("updated", todo, { version: todo.version, time: now, actor: options.actor, changedFields: Object.keys(fields) }));
      }).immediate();
    } catch (e) {
      return translate(e);
    }
  }

  async delete(id: string, options: WriteOptions & { expectedVersion?: number } = {}): Promise<Change> {
    try {
      return this.db.transaction(() => {
        const now = Date.now();
        const before = this.current(id, options.expectedVersion);
        this.db.query("DELETE FROM todos WHERE id = ?").run(id);
        return this.append(changeOf("deleted", before, { version: before.version + 1, time: now, actor: options.actor }));
      }).immediate();
    } catch (e) {
      return translate(e);
    }
  }

  async search(query: SearchQuery, signal?: AbortSignal): Promise<SearchPage> {
    const column = SORT_COLUMN[query.order.field];
    const direction = query.order.descending ? "DESC" : "ASC";
    const where: string[] = [];
    const params: (string | number | null)[] = [];
    if (query.tags.length) {
      where.push("NOT EXISTS (SELECT 1 FROM json_each(?) wanted WHERE wanted.value NOT IN (SELECT value FROM json_each(todos.tags)))");
      params.push(JSON.stringify(query.tags));
    }
    if (query.states.length) {
      where.push(`state IN (${query.states.map(() => "?").join(", ")})`);
      params.push(...query.states);
    }
    if (query.reminderAfter !== undefined) {
      where.push("reminder >= ?");
      params.push(query.reminderAfter);
    }
    if (query.reminderBefore !== undefined) {
      where.push("reminder < ?");
      params.push(query.reminderBefore);
    }
    const matcher = query.pattern ? RE2JS.compile(query.pattern) : undefined;
    const patternFields = query.patternFields ?? (["title", "description"] as const);
    const matches = (t: TodoRecord) => !matcher || patternFields.some((field) => matcher.test(t[field]));
    const batch = matcher ? SCAN_BATCH : query.limit + 1;
    const found: TodoRecord[] = [];
    let after = query.after;
    try {
      for (;;) {
        const keyset = after ? this.keysetCondition(column, query.order.descending, after) : undefined;
        const conditions = keyset ? [...where, keyset.sql] : where;
        // Only reminder can be NULL: no reminder counts as later than any, so undated todos come last
        // ("the next five" are the next five dated ones) and first in descending order.
        const sql = `SELECT * FROM todos ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""}
                     ORDER BY ${column} ${direction} NULLS ${query.order.descending ? "FIRST" : "LAST"}, id ${direction} LIMIT ?`;
        const rows = this.db.query<TodoRow, (string | number | null)[]>(sql).all(...params, ...(keyset?.params ?? []), batch);
        for (const row of rows) {
          const todo = toRecord(row);
          if (matches(todo)) found.push(todo);
          if (found.length > query.limit) return { todos: found.slice(0, query.limit), more: true };
        }
        if (rows.length < batch) return { todos: found, more: false };
        const last = rows[rows.length - 1]!;
        after = { key: last[column], id: last.id };
        // A pattern over a large table scans in steps, so other calls are served in between.
        await new Promise((resolve) => setImmediate(resolve));
        if (signal) checkCancelled(signal);
      }
    } catch (e) {
      return translate(e);
    }
  }

  /** Rows strictly after `after` in (column, id) order. NULL sorts after every value: last ascending, first descending. */
  private keysetCondition(column: string, descending: boolean, after: { key: string | number | null; id: string }) {
    const cmp = descending ? "<" : ">";
    if (after.key === null) {
      return descending
        ? { sql: `(${column} IS NOT NULL OR id < ?)`, params: [after.id] }
        : { sql: `(${column} IS NULL AND id > ?)`, params: [after.id] };
    }
    const nulls = descending ? "" : ` OR ${column} IS NULL`;
    return { sql: `(${column} ${cmp} ? OR (${column} = ? AND id ${cmp} ?)${nulls})`, params: [after.key, after.key, after.id] };
  }

  async readEvents(after: number, limit: number): Promise<TodoEvent[]> {
    try {
      return this.db.query<EventRow, [number, number]>("SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?").all(after, limit).map(toEvent);
    } catch (e) {
      return translate(e);
    }
  }

  async headPosition(): Promise<number> {
    try {
      return this.db.query<{ head: number | null }, []>("SELECT max(position) AS head FROM events").get()?.head ?? 0;
    } catch (e) {
      return translate(e);
    }
  }

  /** Events are in the log once their write commits. */
  async settle(): Promise<void> {}

  async replay(events: TodoEvent[]): Promise<void> {
    try {
      this.db.transaction(() => {
        const insert = this.db.query(INSERT_EVENT);
        for (const e of events) {
          insert.run(e.position, e.eventId, e.todoId, e.version, e.kind, e.time, e.actor, JSON.stringify(e.changedFields), JSON.stringify(e.todo));
          if (e.kind === "deleted") this.db.query("DELETE FROM todos WHERE id = ?").run(e.todoId);
          else if (e.kind === "created") this.insertTodo(e.todo);
          else this.replaceTodo(e.todo);
        }
      }).immediate();
    } catch (e) {
      return translate(e);
    }
  }

  async ping(): Promise<void> {
    try {
      this.db.query("SELECT 1 FROM todos LIMIT 1").get();
    } catch (e) {
      translate(e);
    }
  }

  leases(): Leases {
    return new SqliteLeases(this.db);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
