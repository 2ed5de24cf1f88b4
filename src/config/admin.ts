// The admin commands' settings (`todo replay`, `todo migrate`): they open the stores themselves, so they
// read `todo serve`'s MongoDB settings (MONGO_URL, MONGO_DB) with its parsers.
import type { Environment } from "./environment";
import { ConfigError } from "./error";
import { boolean, mongoDatabase, mongoUrl, nonEmpty } from "./fields";
import { mongoDb, mongoUrlSetting } from "./shared";
import { type Flags, resolveSettings, type Setting } from "./table";

export const REPLAY_SETTINGS = {
  "data-dir": { description: "Replay the log of the embedded store in this directory", field: nonEmpty("dir") },
  "mongo-url": { ...mongoUrlSetting, description: "Replay the log of this MongoDB" },
  "mongo-db": { ...mongoDb, description: "Its database, when the URL names none" },
  "into-data-dir": { description: "Into an empty embedded store in this directory", field: nonEmpty("dir") },
  "into-mongo-url": { description: "Into an empty MongoDB database at this URL", field: mongoUrl },
  "into-mongo-db": { description: "Its database, when the URL names none", shownDefault: "todo", field: mongoDatabase },
} as const satisfies Record<string, Setting>;

export type StoreChoice = { kind: "sqlite"; dataDir: string } | { kind: "mongo"; url: string; database?: string };

/** Which log `todo replay` reads and which empty store it rebuilds. */
export function resolveReplayConfig(flags: Flags<typeof REPLAY_SETTINGS>, env: Environment): { source: StoreChoice; target: StoreChoice } {
  const { values: v } = resolveSettings(REPLAY_SETTINGS, flags, env);
  const source: StoreChoice | undefined =
    v["data-dir"] !== undefined ? { kind: "sqlite", dataDir: v["data-dir"] } : v["mongo-url"] !== undefined ? { kind: "mongo", url: v["mongo-url"], database: v["mongo-db"] } : undefined;
  const target: StoreChoice | undefined =
    v["into-data-dir"] !== undefined
      ? { kind: "sqlite", dataDir: v["into-data-dir"] }
      : v["into-mongo-url"] !== undefined
        ? { kind: "mongo", url: v["into-mongo-url"], database: v["into-mongo-db"] }
        : undefined;
  if (!source) throw new ConfigError("say which log to replay: --data-dir DIR or --mongo-url URL");
  if (!target) throw new ConfigError("say where to rebuild: --into-data-dir DIR or --into-mongo-url URL (an empty store)");
  return { source, target };
}

export const MIGRATE_SETTINGS = {
  "mongo-url": { ...mongoUrlSetting, description: "The MongoDB the original todod used, and todo serve uses" },
  "mongo-db": { ...mongoDb, description: "todo serve's database when the URL names none" },
  "from-db": { description: "The original todod's database", default: "challenge", field: mongoDatabase },
  "from-collection": { description: "The original todod's collection", default: "todo", field: nonEmpty("name") },
  "dry-run": { description: "Report what would be copied, and write nothing", default: "false", field: boolean },
} as const satisfies Record<string, Setting>;

export interface MigrateConfig {
  url: string;
  database?: string;
  from: { database: string; collection: string };
  dryRun: boolean;
}

export function resolveMigrateConfig(flags: Flags<typeof MIGRATE_SETTINGS>, env: Environment): MigrateConfig {
  const { values: v } = resolveSettings(MIGRATE_SETTINGS, flags, env);
  if (v["mongo-url"] === undefined) throw new ConfigError("--mongo-url / MONGO_URL is required: the MongoDB the original todod used");
  return { url: v["mongo-url"], database: v["mongo-db"], from: { database: v["from-db"], collection: v["from-collection"] }, dryRun: v["dry-run"] };
}
