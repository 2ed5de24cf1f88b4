// Data files of earlier schema versions, made from a current one: each version's additions undone, in
// reverse, as the release before it left its files (src/store/sqlite/schema.ts has the migrations).
import type { Database } from "bun:sqlite";

/** What schema version `v` added, undone. */
const UNDO: Record<number, string> = {
  3: "DROP TRIGGER todos_text_insert; DROP TRIGGER todos_text_update; DROP TRIGGER todos_text_delete; DROP TABLE todos_text",
  4: "DROP INDEX todos_reminder_due; ALTER TABLE todos DROP COLUMN reminder_due; ALTER TABLE events DROP COLUMN reminder",
  5: "DROP INDEX todos_number; ALTER TABLE todos DROP COLUMN number; DROP TABLE numbers",
  6: "DROP TRIGGER todo_tags_insert; DROP TRIGGER todo_tags_update; DROP TRIGGER todo_tags_delete; DROP TABLE todo_tags",
};

/** Turns `db`, a data file of the current schema, into one of schema `version` (2 or later). */
export function downgrade(db: Database, version: number) {
  const { user_version } = db.query<{ user_version: number }, []>("PRAGMA user_version").get()!;
  if (!UNDO[user_version]) throw new Error(`older-schema.ts does not know how to undo schema version ${user_version}: add it`);
  for (let v = user_version; v > version; v--) db.exec(UNDO[v]!);
  db.exec(`PRAGMA user_version = ${version}`);
}
