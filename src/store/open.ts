// Chooses the store adapter. Adapters are imported lazily, so a daemon on the embedded store never
// loads a database driver.
import type { TodoStore } from "../todos/ports";

export type StoreOptions =
  | {
      kind: "sqlite";
      dataDir: string;
      /** Hold the data directory's lock: a daemon's store, which a second daemon must not open. */
      exclusive?: boolean;
      warn?: (message: string) => void;
    }
  | {
      kind: "mongo";
      url: string;
      /** The database when the URL names none. */
      database?: string;
      /** Problems the store finds outside any call (a MongoDB index it cannot create), for the log. */
      warn?: (message: string) => void;
      /** Told how many of the original todod's todos wait to be migrated (see mongo/original-data.ts). */
      originalTodos?: (count: number) => void;
      /** Told the name of each command the store starts on MongoDB (todo_mongo_commands_total). */
      commandStarted?: (command: string) => void;
      /** Longest a call may take; admin commands that move many documents wait longer than a daemon's calls. */
      callTimeoutMS?: number;
    };

export async function openStore(options: StoreOptions): Promise<{ store: TodoStore; description: string }> {
  if (options.kind === "mongo") {
    // Does not wait for MongoDB: the daemon starts while it is down, reports not ready, and recovers.
    const { MongoStore } = await import("./mongo");
    const store = MongoStore.open({
      url: options.url,
      database: options.database,
      warn: options.warn,
      callTimeoutMS: options.callTimeoutMS,
      originalTodos: options.originalTodos,
      commandStarted: options.commandStarted,
    });
    return { store, description: store.description };
  }
  const { SqliteStore } = await import("./sqlite/sqlite-store");
  return { store: SqliteStore.open(options.dataDir, { exclusive: options.exclusive, warn: options.warn }), description: `sqlite ${options.dataDir}` };
}
