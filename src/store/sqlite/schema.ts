// The embedded store's schema: its tables, the migrations from every earlier file version, and the
// connection set-up (WAL, every commit fsynced) that brings a file up to date when it opens.
import type { Database } from "bun:sqlite";
import { changeOf, differingFields } from "../../todos/changes";
import type { TodoRecord } from "../../todos/model";
import type { ChangeKind } from "../../todos/ports";
import { toRecord, type TodoRow } from "./search";

export const EVENTS_TABLE = `CREATE TABLE events (
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

export const INSERT_EVENT = "INSERT INTO events (position, event_id, todo_id, version, kind, time, actor, changed_fields, todo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
/** INSERT_EVENT with the reminder column, which exists from schema version 4 on. */
export const INSERT_LOGGED = "INSERT INTO events (position, event_id, todo_id, version, kind, time, actor, changed_fields, todo, reminder) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

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
  // Version 3: the trigram index of the text a search pattern matches (search.ts), kept by triggers
  // (external content: the text is stored once, in todos), built here for the rows that exist.
  `CREATE VIRTUAL TABLE todos_text USING fts5(title, description, content='todos', content_rowid='rowid', tokenize='trigram case_sensitive 0 remove_diacritics 0');
   CREATE TRIGGER todos_text_insert AFTER INSERT ON todos BEGIN
     INSERT INTO todos_text (rowid, title, description) VALUES (new.rowid, new.title, new.description);
   END;
   CREATE TRIGGER todos_text_delete AFTER DELETE ON todos BEGIN
     INSERT INTO todos_text (todos_text, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
   END;
   CREATE TRIGGER todos_text_update AFTER UPDATE OF title, description ON todos
     WHEN old.title IS NOT new.title OR old.description IS NOT new.description BEGIN
     INSERT INTO todos_text (todos_text, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
     INSERT INTO todos_text (rowid, title, description) VALUES (new.rowid, new.title, new.description);
   END;
   INSERT INTO todos_text (todos_text) VALUES ('rebuild');`,
  // Version 4, reminders that fire: `reminder_due` is the armed reminder (docs/events.md, "Reminders").
  // Reminders still ahead are armed; those that passed before this release never fire (the older
  // releases did not fire them when they passed, and a burst of stale reminders helps nobody).
  `ALTER TABLE todos ADD COLUMN reminder_due INTEGER;
   UPDATE todos SET reminder_due = reminder WHERE reminder > CAST(strftime('%s', 'now') AS INTEGER) * 1000;
   CREATE INDEX todos_reminder_due ON todos (reminder_due) WHERE reminder_due IS NOT NULL AND state != 'STATE_DONE';
   ALTER TABLE events ADD COLUMN reminder INTEGER;`,
  // Version 5, short numbers (docs/short-numbers.md): \`numbers\` maps each number to its todo's id for
  // good (a row is never deleted, so a number is never reused and a todo created again under its id gets
  // its number back). The todos that exist are numbered in the order they were created.
  `CREATE TABLE numbers (number INTEGER PRIMARY KEY, todo_id TEXT NOT NULL UNIQUE) STRICT;
   INSERT INTO numbers (todo_id) SELECT id FROM todos ORDER BY create_time, id;
   ALTER TABLE todos ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
   UPDATE todos SET number = (SELECT number FROM numbers WHERE todo_id = todos.id);
   CREATE UNIQUE INDEX todos_number ON todos (number) WHERE number > 0;`,
  // Version 6, the tag index (docs/search.md, "Filters"): each tag's todos, so a tag filter lists its
  // todos instead of reading every row. Kept by triggers, like the trigram index, so every writer (the
  // store, replay, the seeders that write SQL) keeps it in the write's own transaction. Keyed by the
  // todo's id, not its rowid: a manual VACUUM may renumber rowids, never ids.
  `CREATE TABLE todo_tags (tag TEXT NOT NULL, todo_id TEXT NOT NULL, PRIMARY KEY (tag, todo_id)) STRICT, WITHOUT ROWID;
   CREATE TRIGGER todo_tags_insert AFTER INSERT ON todos BEGIN
     INSERT OR IGNORE INTO todo_tags (tag, todo_id) SELECT value, new.id FROM json_each(new.tags);
   END;
   CREATE TRIGGER todo_tags_delete AFTER DELETE ON todos BEGIN
     DELETE FROM todo_tags WHERE todo_id = old.id AND tag IN (SELECT value FROM json_each(old.tags));
   END;
   CREATE TRIGGER todo_tags_update AFTER UPDATE OF id, tags ON todos
     WHEN old.id IS NOT new.id OR old.tags IS NOT new.tags BEGIN
     DELETE FROM todo_tags WHERE todo_id = old.id AND tag IN (SELECT value FROM json_each(old.tags));
     INSERT OR IGNORE INTO todo_tags (tag, todo_id) SELECT value, new.id FROM json_each(new.tags);
   END;
   INSERT OR IGNORE INTO todo_tags (tag, todo_id) SELECT value, todos.id FROM todos, json_each(todos.tags);`,
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

/**
 * `db` set up for the store: WAL, every commit fsynced, and the schema brought up to date. A read-only
 * connection (a full disk) needs no set-up, but cannot upgrade an older file either.
 */
export function prepared(db: Database, options: { readOnly?: boolean } = {}): Database {
  if (!options.readOnly) {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
  }
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA foreign_keys = ON");
  const { user_version } = db.query<{ user_version: number }, []>("PRAGMA user_version").get()!;
  if (user_version > MIGRATIONS.length)
    throw new Error(`the data file's schema (version ${user_version}) is newer than this todo understands; upgrade todo`);
  // Nothing written when the schema is current: a daemon must start on a full disk.
  if (user_version === MIGRATIONS.length) return db;
  if (options.readOnly) throw new Error(`the data file's schema (version ${user_version}) must be upgraded, which needs space on its disk`);
  db.transaction(() => {
    for (let v = user_version; v < MIGRATIONS.length; v++) {
      const migration = MIGRATIONS[v]!;
      if (typeof migration === "string") db.exec(migration);
      else migration(db);
    }
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
  })();
  return db;
}
