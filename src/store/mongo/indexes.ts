// Indexes are read, and only the missing ones created. On FerretDB 1.24 a createIndexes or dropIndexes,
// even of an index that exists, takes the server-wide metadata lock and then waits for a connection to
// its database; with that database busy enough to have none free, every database on the server stopped
// answering (docs/events.md, "FerretDB 1.24 stops answering"). A store opens on every start.
import { type Collection, type Document, MongoServerError } from "mongodb";

const NAMESPACE_NOT_FOUND = 26;

export interface IndexSpec {
  name: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
}

/** `collection`'s indexes, name to key (none while the collection does not exist). */
export async function indexKeys<T extends Document>(collection: Collection<T>): Promise<Map<string, string>> {
  try {
    return new Map((await collection.listIndexes().toArray()).map((index) => [index.name as string, JSON.stringify(index.key)]));
  } catch (e) {
    if (e instanceof MongoServerError && (e.code === NAMESPACE_NOT_FOUND || e.codeName === "NamespaceNotFound")) return new Map();
    throw e;
  }
}

/**
 * Creates those of `specs` that `collection` lacks, one per command (FerretDB 1.24 panics on a batch in
 * which several exist: its issue 3858). An index of the same name with other keys is created too, so its
 * conflict is the server's error, as before. Resolves with the indexes found.
 */
export async function createMissingIndexes<T extends Document>(collection: Collection<T>, specs: IndexSpec[]): Promise<Map<string, string>> {
  const existing = await indexKeys(collection);
  for (const { name, key, unique } of specs)
    if (existing.get(name) !== JSON.stringify(key)) await collection.createIndex(key, unique ? { name, unique } : { name });
  return existing;
}
