// `todo migrate`: copies the original todod's todos (challenge.todo, in its shape) into the collection
// todo serve reads (the store's shape), each under its own id. It only ever reads the original's
// collection, so rolling back is pointing the original daemon at its untouched data again.
//
// Idempotent and resumable: each copy carries a mark (`migrated: {from, version, digest}`): where it came
// from, the version this wrote and a digest of the original's fields then. A later run compares field
// by field through it: a todo the original has not changed since is unchanged (even if todo serve has);
// one the original changed is updated to the original's fields at its next version, unless todo serve
// changed it too (then todo serve's is kept, and listed). A copy without a mark (made by hand) is
// updated whenever its fields differ. The marks also find copies whose original has gone.
//
// A document is checked against the rules and limits a create checks (rules.ts), and one they refuse
// (an empty or over-long title, a 15 MiB description, 40 tags, …) is not copied: it is listed with its
// _id and every rule it breaks, the rest is copied, and the command exits 1, as for a document that
// cannot be a todo at all (an _id that is no ObjectId, a title that is a number). An operator corrects
// the listed ones in the original and runs it again (it is idempotent): skipping them, rather than
// stopping, copies the rest the same way each run, and the dry run reports exactly what a run would.
// (Copied as they were, an over-long title made every reader fail: a 5 MiB todo is more than a reply
// carries, and a 15 MiB one, with its event, more than a MongoDB document holds.)
//
// This file does the reading and writing; what each document comes to is decided in migrate-plan.ts.
import { Claims, CLAIMS } from "./claims";
import { type Collection, type Document, MongoBulkWriteError, MongoClient, MongoError, MongoNetworkError, MongoServerError, MongoServerSelectionError, ObjectId } from "mongodb";
import { storeDatabase } from "./connection";
import { BULK_SLICE, COLLECTION, NUMBER_INDEX, type NumberDocument, NUMBERS } from "./documents";
import { createMissingIndexes } from "./indexes";
import { ShortNumbers } from "./numbering";
import { type BatchItem, changedCopy, type MigratedDocument, type MigratedWrite, type MigrationNote, type MigrationReport, newCopy, planBatch, tellBatch } from "./migrate-plan";
import { ORIGINAL } from "./original-data";
import { redactUrl, scrub, secretsOf } from "../../secrets/redact";

export interface MigrateOptions {
  /** The MongoDB both daemons use (MONGO_URL). */
  url: string;
  /** todo serve's database when the URL names none (MONGO_DB); as the daemon resolves it. */
  database?: string;
  /** The original's collection; default challenge.todo. */
  from?: { database: string; collection: string };
  /** Decide and report everything, write nothing. */
  dryRun?: boolean;
  /** Each todo worth a look, as it is met: copied with a remark (an unknown state), or not copied. */
  onNote?: (note: MigrationNote) => void;
}

/** A failure of the whole migration, in one line; `badInput` for a mistake in the options (exit 2). */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly badInput = false,
  ) {
    super(message);
  }
}

const BATCH = 1000;

/**
 * Writes migrated todos as todo serve's store writes todos, each with its event for the log: a new one
 * as the store creates one (its short number claimed first, its document in the store's shape, version
 * 1, numbered, with `pending: [created]`), a changed one as the store updates one (the store's
 * compare-and-set on the version read, pushing an updated event naming the fields that changed), each
 * also with the migration's mark. A new todo is conditional on its id being free, a change on the
 * version read, so a concurrent write through todo serve is never overwritten. Any daemon on the
 * collection moves the events into its log (its sweep finds them). Returns the writes that did not
 * happen because of such a concurrent write.
 */
async function writeMigratedTodos(target: Collection<MigratedDocument>, claims: Claims, numbers: ShortNumbers, from: string, writes: MigratedWrite[]): Promise<MigratedWrite[]> {
  const missed: MigratedWrite[] = [];
  const created = writes.filter((w) => w.copy === undefined);
  // In slices, as the store's own bulk commands: FerretDB 1.24 can leave a large one unanswered. Each
  // slice's numbers are claimed with one insert before its copies are written (a copy that is then not
  // written leaves a gap, never a shared number; a run again finds the number its todo holds).
  for (let i = 0; i < created.length; i += BULK_SLICE) {
    const slice = created.slice(i, i + BULK_SLICE);
    const numbered = await numbers.claimMany(slice.map(({ todo }) => todo.id));
    const documents = slice.map(({ todo }, j) => newCopy(todo, numbered[j]!, from));
    try {
      await target.insertMany(documents, { ordered: false });
    } catch (e) {
      if (!(e instanceof MongoBulkWriteError)) throw e;
      const errors = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
      for (const error of errors) {
        if (error.code !== 11000) throw e; // only "the id was taken meanwhile" is expected
        missed.push(slice[error.index]!);
      }
    }
  }
  for (const write of writes) {
    if (!write.copy) continue;
    const { filter, update } = changedCopy(write.copy, write.todo, from);
    // Claimed as every change of a document is (claims.ts): never over a daemon's write, on FerretDB too.
    if (!(await claims.update(target, write.copy.doc, filter, update))) missed.push(write);
  }
  return missed;
}

/** A driver error as one line naming what to check, without the connection string's secrets. */
function explain(error: unknown, url: string): Error {
  if (!(error instanceof MongoError)) return error as Error;
  const where = `MongoDB at ${redactUrl(url)}`;
  const message = scrub(error.message, url, secretsOf(url));
  if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError) {
    const cause = /\b(E[A-Z]{3,})\b/.exec(message)?.[1] ?? message;
    return new MigrationError(`cannot reach ${where} (${cause}); check --mongo-url / MONGO_URL`);
  }
  if (error instanceof MongoServerError && error.code === 18) return new MigrationError(`${where} refused the credentials in --mongo-url / MONGO_URL (${message})`);
  if (error instanceof MongoServerError && error.code === 13) return new MigrationError(`${where} does not allow this user to do that: ${message}`);
  return new MigrationError(`${where} failed: ${message}`);
}

/** Copies the original's todos into todo serve's collection; see the top of this file. */
export async function migrateOriginal(options: MigrateOptions): Promise<MigrationReport> {
  const source = options.from ?? ORIGINAL;
  const from = `${source.database}.${source.collection}`;
  const targetDatabase = storeDatabase(options.url, options.database);
  const to = `${targetDatabase}.${COLLECTION}`;
  if (from === to) throw new MigrationError(`the original's collection and todo serve's are both ${to}: nothing to copy`, true);
  const report: MigrationReport = { from, to, created: 0, updated: 0, unchanged: 0, skipped: 0, gone: [] };
  let client: MongoClient;
  try {
    // A person waits: say it is unreachable after 10 s, not the driver's 30 (unless the URL says).
    client = new MongoClient(options.url, { appName: "todo migrate", ...(/[?&]serverSelectionTimeoutMS=/i.test(options.url) ? {} : { serverSelectionTimeoutMS: 10_000 }) });
  } catch (e) {
    const message = scrub((e as Error).message, options.url, secretsOf(options.url));
    throw new MigrationError(`--mongo-url / MONGO_URL is not a usable MongoDB connection string (${redactUrl(options.url)}): ${message}`, true);
  }
  try {
    const db = client.db(source.database);
    if (!(await db.listCollections({ name: source.collection }, { nameOnly: true }).toArray()).length)
      throw new MigrationError(`${redactUrl(options.url)} has no collection ${from}: the original todod keeps its todos in ${ORIGINAL.database}.${ORIGINAL.collection} (see --from-db, --from-collection)`, true);
    const original = db.collection(source.collection);
    const target = client.db(targetDatabase).collection<MigratedDocument>(COLLECTION);
    const seen = new Set<string>();
    // Both collections are read once, side by side in _id order (a merge join), rather than looking each
    // batch's ids up: FerretDB answers a lookup of 1,000 ids about as slowly as a scan of everything.
    const copies = target.find({}, { sort: { _id: 1 }, batchSize: BATCH });
    let next = await copies.next();
    const idOf = (doc: Document) => (doc._id instanceof ObjectId ? doc._id.toHexString() : null);
    /**
     * Moves past todo serve's copies before `id` (all of them for null) and returns the copy of `id`, if
     * any. A copy passed that came from the original but is no longer there is gone. Hex strings of one
     * length sort as their ObjectIds do.
     */
    const copyOf = async (id: string | null): Promise<MigratedDocument | undefined> => {
      for (; next; next = await copies.next()) {
        const copyId = idOf(next);
        if (copyId === null) continue; // not an id todo serve gives
        if (id !== null && copyId >= id) break;
        // Listed, not deleted: with a mistyped --from-collection every copy would look gone. (A copy
        // deleted through todo serve is a tombstone: gone from both, nothing to say.)
        if (next.migrated?.from === from && !next.deleted && !seen.has(copyId)) report.gone.push(copyId);
      }
      return next && id !== null && idOf(next) === id ? next : undefined;
    };

    const claims = new Claims(() => client.db(targetDatabase).collection(CLAIMS));
    const numberClaims = client.db(targetDatabase).collection<NumberDocument>(NUMBERS);
    // The unique index on `number` before any claim, as a daemon makes it (it keeps two claims of one number apart).
    const numbers = new ShortNumbers(
      () => numberClaims,
      async () => void (await createMissingIndexes(numberClaims, [NUMBER_INDEX])),
    );
    const migrateBatch = async (batch: BatchItem[]) => {
      const plan = planBatch(batch, report);
      const missed = new Set(options.dryRun ? [] : await writeMigratedTodos(target, claims, numbers, from, plan.writes));
      for (const n of tellBatch(plan, missed, report)) options.onNote?.(n);
    };

    let batch: BatchItem[] = [];
    for await (const doc of original.find({}, { sort: { _id: 1 }, batchSize: BATCH })) {
      const id = idOf(doc);
      if (id !== null) seen.add(id);
      batch.push({ doc, copy: id === null ? undefined : await copyOf(id) });
      if (batch.length === BATCH) {
        await migrateBatch(batch);
        batch = [];
      }
    }
    if (batch.length) await migrateBatch(batch);
    await copyOf(null);
    return report;
  } catch (e) {
    throw explain(e, options.url);
  } finally {
    await client.close();
  }
}
