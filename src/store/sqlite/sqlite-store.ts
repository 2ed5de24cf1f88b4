// The embedded store: one SQLite file, WAL mode, every commit fsynced (synchronous=FULL) before it is
// acknowledged. Each write and its change record commit in one transaction; the `changes` table is the
// outbox an event publisher reads.
import { Database, SQLiteError } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { RE2JS } from "re2js";
import { newId } from "../../todos/id";
import type { State, TodoFields, TodoRecord } from "../../todos/model";
import { checkCancelled } from "../../todos/context";
import { AlreadyExistsError, NotFoundError, UnavailableError, VersionMismatchError } from "../../todos/errors";
import type { Change, ChangeKind, SearchPage, SearchQuery, TodoStore } from "../../todos/ports";

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

const MIGRATIONS = [
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
];

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
      for (let v = user_version; v < MIGRATIONS.length; v++) this.db.exec(MIGRATIONS[v]!);
      this.db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
    })();
  }

  private row(id: string): TodoRow | null {
    return this.db.query<TodoRow, [string]>("SELECT * FROM todos WHERE id = ?").get(id);
  }

  private record(kind: ChangeKind, todo: TodoRecord, version: number, time: number): Change {
    this.db
      .query("INSERT INTO changes (todo_id, version, kind, time, todo) VALUES (?, ?, ?, ?, ?)")
      .run(todo.id, version, kind, time, JSON.stringify(todo));
    return { kind, todoId: todo.id, version, time, todo };
  }

  async create(fields: TodoFields, id?: string): Promise<Change> {
    try {
      return this.db.transaction(() => {
        const now = Date.now();
        const todo: TodoRecord = { ...fields, id: id ?? newId(now), createTime: now, updateTime: now, version: 1 };
        if (id && this.row(id)) throw new AlreadyExistsError(id);
        this.db
          .query(
            "INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          )
          .run(todo.id, todo.title, todo.description, JSON.stringify(todo.tags), todo.reminder, todo.state, now, now, 1);
        return this.record("created", todo, 1, now);
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

  async update(id: string, fields: Partial<TodoFields>, expectedVersion?: number): Promise<Change> {
    try {
      return this.db.transaction(() => {
        const now = Date.now();
        const before = this.current(id, expectedVersion);
        const todo: TodoRecord = { ...before, ...fields, updateTime: now, version: before.version + 1 };
        this.db
          .query("UPDATE todos SET title = ?, description = ?, tags = ?, reminder = ?, state = ?, update_time = ?, version = ? WHERE id = ?")
          .run(todo.title, todo.description, JSON.stringify(todo.tags), todo.reminder, todo.state, now, todo.version, id);
        return this.record("updated", todo, todo.version, now);
      }).immediate();
    } catch (e) {
      return translate(e);
    }
  }

  async delete(id: string, expectedVersion?: number): Promise<Change> {
    try {
      return this.db.transaction(() => {
        const now = Date.now();
        const before = this.current(id, expectedVersion);
        this.db.query("DELETE FROM todos WHERE id = ?").run(id);
        return this.record("deleted", before, before.version + 1, now);
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

  async ping(): Promise<void> {
    try {
      this.db.query("SELECT 1 FROM todos LIMIT 1").get();
    } catch (e) {
      translate(e);
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
