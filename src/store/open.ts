// Chooses the store adapter from the configuration. Adapters are imported lazily, so a daemon on the
// embedded store never loads a database driver.
import type { ServeConfig } from "../server/config";
import type { TodoStore } from "./store";

export async function openStore(config: ServeConfig): Promise<{ store: TodoStore; description: string }> {
  const { SqliteStore } = await import("./sqlite/sqlite-store");
  return { store: SqliteStore.open(config.dataDir), description: `sqlite ${config.dataDir}` };
}
