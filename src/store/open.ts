// Chooses the store adapter from the configuration. Adapters are imported lazily, so a daemon on the
// embedded store never loads a database driver.
import type { ServeConfig } from "../server/config";
import type { TodoStore } from "./store";

export interface OpenOptions {
  /** Problems the store finds outside any call (a MongoDB index it cannot create), for the log. */
  warn?: (message: string) => void;
}

export async function openStore(config: ServeConfig, options: OpenOptions = {}): Promise<{ store: TodoStore; description: string }> {
  if (config.mongoUrl) {
    // Does not wait for MongoDB: the daemon starts while it is down, reports not ready, and recovers.
    const { MongoStore } = await import("./mongo/mongo-store");
    const store = MongoStore.open({ url: config.mongoUrl, database: config.mongoDb, warn: options.warn });
    return { store, description: store.description };
  }
  const { SqliteStore } = await import("./sqlite/sqlite-store");
  return { store: SqliteStore.open(config.dataDir), description: `sqlite ${config.dataDir}` };
}
