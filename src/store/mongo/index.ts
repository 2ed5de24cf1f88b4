// The MongoDB adapter's public face: the store, its options, and `todo migrate`. Nothing outside this
// folder imports any other file of it (test/import-graph.test.ts holds that).
export { MongoStore, type MongoStoreOptions } from "./mongo-store";
export { type MigrateOptions, MigrationError, migrateOriginal } from "./migrate-original";
export type { MigrationNote, MigrationReport } from "./migrate-plan";
