// The embedded store: one SQLite file, WAL mode, every commit fsynced (synchronous=FULL) before it is
// acknowledged. Each write and its event commit in one transaction, and SQLite's single writer gives
// positions (the events table's rowid) in commit order, so the log has no gap a reader could pass.
//
// Group commit: the writes that arrive in one turn of the event loop share one transaction and so one
// fsync (`commitQueued`); each is acknowledged only after that commit. Each runs in a savepoint of its
// own, so one that fails (NotFound, a version mismatch, a taken id) fails alone and the others commit.
// A write alone waits one setImmediate for company: concurrency 1 costs what it did.
import { Database, SQLiteError } from "bun:sqlite";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { newId } from "../../todos/id";
import type { TodoFields, TodoRecord } from "../../todos/model";
import { checkCancelled } from "../../todos/context";
import { AlreadyExistsError, NotFoundError, OutcomeUnknownError, UnavailableError, VersionMismatchError } from "../../todos/errors";
import { changeOf, reminderDueOf } from "../../todos/changes";
import { createPrivateFile, DataDirLock, exposure, makeDataDir } from "./data-dir";
import { freeBytes, fullReason, isDiskFull, openImmutable, RECOVERED_BYTES, storageFull, walIsEmpty } from "./disk-full";
import type { Change, CreateOptions, Leases, SearchPage, SearchQuery, SearchSpending, TodoEvent, TodoStore, WriteOptions } from "../../todos/ports";
import { SqliteLeases } from "./leases";
import { searchTodos, toRecord, type TodoRow } from "./search";
import { SearchWorkers } from "./search-workers";
import { type EventRow, toEvent } from "./event-rows";
import { INSERT_LOGGED, prepared } from "./schema";

/** Armed reminders that may fire: the condition of the todos_reminder_due index, so queries use it. */
const ARMED = "reminder_due IS NOT NULL AND state != 'STATE_DONE'";

/** SQLite errors that mean "the disk or file cannot serve now", as opposed to a bug. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|CORRUPT|NOTADB|PROTOCOL)/;

/** The store error an error thrown by SQLite means (the domain's own errors pass through). */
function asStoreError(error: unknown): unknown {
  if (error instanceof SQLiteError && UNAVAILABLE_CODES.test(error.code ?? "")) return new UnavailableError(`the SQLite store cannot serve: ${error.message}`);
  return error;
}

export interface SqliteOpenOptions {
  /** Hold the data directory's lock (a daemon): a second holder is refused, naming the first. */
  exclusive?: boolean;
  /** Hears what an operator should know (a data directory others can read). */
  warn?: (message: string) => void;
  /** Default SEARCH_BUDGET_MS. */
  searchBudgetMs?: number;
}

/** Longest a pattern search may run before it ends with SearchBudgetError (RESOURCE_EXHAUSTED). */
export const SEARCH_BUDGET_MS = 5_000;

export class SqliteStore implements TodoStore {
  private db: Database;
  private lock?: DataDirLock;
  private readonly dataDir: string;
  /** Opened read-only because the disk was full at start (disk-full.ts); writable again once space returns. */
  private readOnly = false;
  /** Whether writes fail now because the disk is full. */
  private full = false;
  /** Writes waiting for the next group commit, in arrival order (= commit order of their events). */
  private queued: { write: () => Change; resolve: (change: Change) => void; reject: (error: unknown) => void }[] = [];

  private readonly workers: SearchWorkers;

  /** Opens (creating if needed) `todos.db` in `dataDir`; a directory it creates is 0700, its files 0600. */
  static open(dataDir: string, options: SqliteOpenOptions = {}): SqliteStore {
    let lock: DataDirLock | undefined;
    try {
      makeDataDir(dataDir);
      if (options.exclusive) lock = DataDirLock.acquire(dataDir);
      const file = join(dataDir, "todos.db");
      createPrivateFile(file);
      const store = SqliteStore.openFile(file, dataDir, options);
      store.lock = lock;
      const exposed = exposure(dataDir, readdirSync(dataDir).filter((f) => f.startsWith("todos.db")));
      if (exposed) options.warn?.(exposed);
      return store;
    } catch (e) {
      lock?.release();
      if (e instanceof UnavailableError) throw e;
      throw new UnavailableError(`cannot open the data directory ${dataDir}: ${(e as Error).message}; set TODO_DATA_DIR to a writable directory`);
    }
  }

  /**
   * The store on `file`; on a full disk, read-only when the file holds everything committed (a new or
   * upgraded file needs space, and a WAL left by a crash needs its -shm: those still fail).
   */
  private static openFile(file: string, dataDir: string, options: SqliteOpenOptions): SqliteStore {
    const db = new Database(file, { create: true, strict: true });
    try {
      const store = new SqliteStore(prepared(db), file, dataDir, options);
      // Started on a disk with no room (a WAL left behind lets it open as usual): said now, not at the first write.
      if (freeBytes(dataDir) < RECOVERED_BYTES) store.full = true;
      return store;
    } catch (e) {
      db.close();
      if (!isDiskFull(e, dataDir) || !walIsEmpty(file) || statSync(file).size === 0) throw e;
    }
    const store = new SqliteStore(prepared(openImmutable(file), { readOnly: true }), file, dataDir, options);
    store.readOnly = true;
    store.workers.immutable = true;
    store.full = true;
    options.warn?.(`started read-only: the disk holding ${dataDir} is full; reads are served, writes refused until space is freed there`);
    return store;
  }

  private constructor(db: Database, private readonly file: string, dataDir: string, options: SqliteOpenOptions) {
    this.db = db;
    this.dataDir = dataDir;
    this.workers = new SearchWorkers(file, options.searchBudgetMs ?? SEARCH_BUDGET_MS, (error) =>
      UNAVAILABLE_CODES.test(error.code ?? "") ? new UnavailableError(`the SQLite store cannot serve: ${error.message}`) : new Error(error.message),
    );
  }

  /** The store's error for an error thrown by SQLite: a full disk is StorageFullError, and remembered. */
  private storeError(error: unknown): unknown {
    if (isDiskFull(error, this.dataDir) || (this.readOnly && error instanceof SQLiteError && /^SQLITE_READONLY/.test(error.code ?? ""))) {
      this.full = true;
      return storageFull(this.dataDir);
    }
    return asStoreError(error);
  }

  private fail(error: unknown): never {
    throw this.storeError(error);
  }

  /**
   * Why writes fail now, or null. Looks whether space came back: read-only since the start, the store
   * opens its file for writing again; after a failed write, the next write will tell.
   */
  degraded(): string | null {
    if (this.full && freeBytes(this.dataDir) >= RECOVERED_BYTES) {
      if (!this.readOnly) this.full = false;
      else this.reopenWritable();
    }
    return this.full ? fullReason(this.dataDir) : null;
  }

  /** Read-only since the start: opens the file for writing again, once there is room for its -shm and -wal. */
  private reopenWritable() {
    let db: Database | undefined;
    try {
      db = prepared(new Database(this.file, { strict: true }));
    } catch {
      db?.close();
      return;
    }
    this.db.close();
    this.db = db;
    this.readOnly = false;
    this.workers.immutable = false;
    this.full = false;
  }

  private row(id: string): TodoRow | null {
    return this.db.query<TodoRow, [string]>("SELECT * FROM todos WHERE id = ?").get(id);
  }

  /** Appends a write's event; called inside the write's transaction. */
  private append(change: Change): Change {
    this.insertEvent(null, change);
    return change;
  }

  /** Inserts an event at `position` (null: the next one). */
  private insertEvent(position: number | null, event: Change) {
    const { eventId, todoId, version, kind, time, actor, changedFields, todo, reminder } = event;
    this.db.query(INSERT_LOGGED).run(position, eventId, todoId, version, kind, time, actor, JSON.stringify(changedFields), JSON.stringify(todo), reminder ?? null);
  }

  /**
   * The short number of todo `id`: the one it had (created again under its id), else `wanted` when it
   * is free (a replayed event's), else the next one. Runs inside the write's transaction.
   */
  private numberFor(id: string, wanted = 0): number {
    const known = this.db.query<{ number: number }, [string]>("SELECT number FROM numbers WHERE todo_id = ?").get(id);
    if (known) return known.number;
    if (wanted > 0 && !this.db.query<{ one: number }, [number]>("SELECT 1 AS one FROM numbers WHERE number = ?").get(wanted)) {
      this.db.query("INSERT INTO numbers (number, todo_id) VALUES (?, ?)").run(wanted, id);
      return wanted;
    }
    return this.db.query<{ number: number }, [string]>("INSERT INTO numbers (todo_id) VALUES (?) RETURNING number").get(id)!.number;
  }

  /** Inserts a todo, its reminder (if any) armed. */
  private insertTodo(todo: TodoRecord) {
    this.db
      .query("INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version, reminder_due, number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .run(todo.id, todo.title, todo.description, JSON.stringify(todo.tags), todo.reminder, todo.state, todo.createTime, todo.updateTime, todo.version, todo.reminder, todo.number);
  }

  /** Replaces a todo's fields; a reminder moved to another time is armed again (SET reads the row as it was). */
  private replaceTodo(todo: TodoRecord) {
    this.db
      .query(
        "UPDATE todos SET title = ?1, description = ?2, tags = ?3, reminder = ?4, state = ?5, update_time = ?6, version = ?7, reminder_due = CASE WHEN reminder IS ?4 THEN reminder_due ELSE ?4 END WHERE id = ?8",
      )
      .run(todo.title, todo.description, JSON.stringify(todo.tags), todo.reminder, todo.state, todo.updateTime, todo.version, todo.id);
  }

  async create(fields: TodoFields, options: WriteOptions & CreateOptions = {}): Promise<Change> {
    const { id, actor, times } = options;
    return this.enqueue(() => {
      const now = Date.now();
      if (id && this.row(id)) throw new AlreadyExistsError(id);
      // An id deleted before continues its versions, so (todo id, version) names one event forever.
      const last = id ? (this.db.query<{ v: number | null }, [string]>("SELECT max(version) AS v FROM events WHERE todo_id = ?").get(id)?.v ?? 0) : 0;
      const todoId = id ?? newId(now);
      const todo: TodoRecord = { ...fields, id: todoId, createTime: times?.createTime ?? now, updateTime: times?.updateTime ?? now, version: last + 1, number: this.numberFor(todoId) };
      this.insertTodo(todo);
      return this.append(changeOf("created", todo, { version: todo.version, time: now, actor }));
    });
  }

  /** Queues a write for the next group commit; resolves once it is on disk, or rejects with its own error. */
  private enqueue(write: () => Change): Promise<Change> {
    return new Promise((resolve, reject) => {
      this.queued.push({ write, resolve, reject });
      if (this.queued.length === 1) setImmediate(() => this.commitQueued());
    });
  }

  /**
   * Runs every queued write in one transaction, each in its own savepoint, and commits once. A write that
   * throws is rolled back to its savepoint and rejected alone; if the commit itself fails, none is written
   * and every one is rejected.
   */
  private commitQueued() {
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    if (this.readOnly) {
      const error = storageFull(this.dataDir);
      for (const { reject } of batch) reject(error);
      return;
    }
    const outcomes: ({ change: Change } | { error: unknown })[] = [];
    try {
      this.statement("BEGIN IMMEDIATE").run();
      for (const { write } of batch) {
        this.statement("SAVEPOINT write").run();
        try {
          outcomes.push({ change: write() });
        } catch (error) {
          this.statement("ROLLBACK TO write").run();
          outcomes.push({ error });
        }
        this.statement("RELEASE write").run();
      }
    } catch (e) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      const error = this.storeError(e);
      for (const { reject } of batch) reject(error);
      return;
    }
    try {
      this.statement("COMMIT").run();
    } catch (e) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      const outcome = this.afterFailedCommit(e, outcomes);
      if (outcome !== "committed") {
        for (const { reject } of batch) reject(outcome);
        return;
      }
    }
    this.full = false;
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i]!;
      if ("change" in outcome) resolve(outcome.change);
      else reject(asStoreError(outcome.error));
    });
  }

  /**
   * What a failed COMMIT did. SQLite reports an error after the commit too (the automatic checkpoint that
   * follows it failing on a full disk), so the batch's last event is looked for: there, the batch is
   * committed. Absent after SQLITE_FULL, it surely is not (its commit frame never got whole into the
   * WAL). Absent after another error (an fsync that failed), a restart may still find it.
   */
  private afterFailedCommit(error: unknown, outcomes: ({ change: Change } | { error: unknown })[]): "committed" | Error {
    const last = outcomes.findLast((o): o is { change: Change } => "change" in o)?.change;
    if (!last) return "committed"; // nothing of the batch was to be written: each answers its own error
    let logged: boolean | undefined;
    try {
      logged = this.db.query<{ one: number }, [string]>("SELECT 1 AS one FROM events WHERE event_id = ?").get(last.eventId) !== null;
    } catch {}
    if (logged) return "committed";
    if (logged === false && isDiskFull(error, this.dataDir)) return this.storeError(error) as Error;
    return new OutcomeUnknownError(false, `the SQLite store could not finish its commit (${(error as Error).message})`);
  }

  /** A cached prepared statement (transaction control runs once per write: no parsing each time). */
  private statement(sql: string) {
    return this.db.query(sql);
  }

  async get(id: string): Promise<TodoRecord | null> {
    try {
      const row = this.row(id);
      return row ? toRecord(row) : null;
    } catch (e) {
      return this.fail(e);
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
    return this.enqueue(() => {
      const now = Date.now();
      const before = this.current(id, options.expectedVersion);
      const todo: TodoRecord = { ...before, ...fields, updateTime: now, version: before.version + 1 };
      this.replaceTodo(todo);
      return this.append(changeOf("updated", todo, { version: todo.version, time: now, actor: options.actor, changedFields: Object.keys(fields) }));
    });
  }

  async delete(id: string, options: WriteOptions & { expectedVersion?: number } = {}): Promise<Change> {
    return this.enqueue(() => {
      const now = Date.now();
      const before = this.current(id, options.expectedVersion);
      this.db.query("DELETE FROM todos WHERE id = ?").run(id);
      return this.append(changeOf("deleted", before, { version: before.version + 1, time: now, actor: options.actor }));
    });
  }

  async search(query: SearchQuery, signal?: AbortSignal, spending?: SearchSpending): Promise<SearchPage> {
    try {
      // A pattern or tags are checked row by row: in a worker, so no search holds up the daemon. A plain
      // listing walks an index and stops at the page's end.
      if (query.pattern || query.tags.length) return await this.workers.run(query, signal, spending);
      if (signal) checkCancelled(signal);
      return searchTodos(this.db, query);
    } catch (e) {
      return this.fail(e);
    }
  }

  async readEvents(after: number, limit: number): Promise<TodoEvent[]> {
    try {
      return this.db.query<EventRow, [number, number]>("SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?").all(after, limit).map(toEvent);
    } catch (e) {
      return this.fail(e);
    }
  }

  async headPosition(): Promise<number> {
    try {
      return this.db.query<{ head: number | null }, []>("SELECT max(position) AS head FROM events").get()?.head ?? 0;
    } catch (e) {
      return this.fail(e);
    }
  }

  /** Events are in the log once their write commits. */
  async settle(): Promise<void> {}

  async replay(events: TodoEvent[]): Promise<void> {
    try {
      this.db.transaction(() => {
        for (const e of events) {
          this.insertEvent(e.position, e);
          if (e.kind === "deleted") this.db.query("DELETE FROM todos WHERE id = ?").run(e.todoId);
          else if (e.kind === "created") this.insertTodo({ ...e.todo, number: this.numberFor(e.todoId, e.todo.number) });
          else if (e.kind === "reminder_due") this.db.query("UPDATE todos SET reminder_due = NULL WHERE id = ?").run(e.todoId);
          else this.replaceTodo(e.todo);
        }
      }).immediate();
    } catch (e) {
      return this.fail(e);
    }
  }

  /** One transaction: each due reminder of a todo not DONE is disarmed and its event appended. */
  async fireDueReminders(now: number, limit: number): Promise<Change[]> {
    try {
      // Most looks find nothing due: those need not take the write lock.
      if (!this.db.query<{ one: number }, [number]>(`SELECT 1 AS one FROM todos WHERE ${ARMED} AND reminder_due <= ? LIMIT 1`).get(now)) return [];
      return this.db.transaction(() => {
        const due = this.db
          .query<TodoRow, [number, number]>(`SELECT * FROM todos WHERE ${ARMED} AND reminder_due <= ? ORDER BY reminder_due LIMIT ?`)
          .all(now, limit);
        return due.map((row) => {
          this.db.query("UPDATE todos SET reminder_due = NULL WHERE id = ?").run(row.id);
          return this.append(reminderDueOf(toRecord(row), row.reminder_due!, Math.max(now, Date.now())));
        });
      }).immediate();
    } catch (e) {
      return this.fail(e);
    }
  }

  async nextReminderDue(): Promise<number | null> {
    try {
      return this.db.query<{ due: number | null }, []>(`SELECT min(reminder_due) AS due FROM todos WHERE ${ARMED}`).get()?.due ?? null;
    } catch (e) {
      return this.fail(e);
    }
  }

  async ping(): Promise<void> {
    try {
      this.db.query("SELECT 1 FROM todos LIMIT 1").get();
    } catch (e) {
      this.fail(e);
    }
  }

  leases(): Leases {
    return new SqliteLeases(() => this.db);
  }

  async close(): Promise<void> {
    this.commitQueued(); // writes already accepted are not dropped
    this.workers.close();
    this.db.close();
    this.lock?.release();
  }
}
