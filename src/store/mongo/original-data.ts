// The original todod (Go) kept its todos in challenge.todo whatever database MONGO_URL named. todo serve
// on the same MongoDB uses its own collection, so after switching daemons every search would answer
// empty without a word. The store looks once it is connected: while its own collection is empty and
// the original's holds todos, it says so (a warning naming `todo migrate`, and a metric), and looks
// again each minute, so the metric falls to 0 once they are migrated.
import type { Collection, Document, MongoClient } from "mongodb";
import { UnavailableError } from "../../todos/errors";
import type { State } from "../../vocabulary/todo";

/** Where the original todod kept its todos, always. */
export const ORIGINAL = { database: "challenge", collection: "todo" } as const;
/** The original's state names (v1.ToDo.State), as its documents spell them. */
export const ORIGINAL_STATES: Readonly<Record<string, State>> = { NOT_STARTED: "STATE_NOT_STARTED", IN_PROGRESS: "STATE_IN_PROGRESS", DONE: "STATE_DONE" };
/** Its reminders are Int64 Unix seconds; those a client can show are google.protobuf.Timestamp's, years 1 to 9999. */
export const REMINDER_SECONDS = { min: -62_135_596_800, max: 253_402_300_799 } as const;

const RECHECK_MS = 60_000;
/** While MongoDB cannot be reached, how soon to try again. */
const RETRY_MS = 5_000;

/** How many todos the original's collection holds while `own` is empty; 0 once `own` holds any. */
export async function originalTodosWaiting(client: MongoClient, own: Collection<any>): Promise<number> {
  if (await own.findOne({}, { projection: { _id: 1 } })) return 0;
  return client.db(ORIGINAL.database).collection<Document>(ORIGINAL.collection).countDocuments();
}

export interface OriginalWatch {
  /** One look (originalTodosWaiting through the store); UnavailableError while MongoDB cannot be reached. */
  count: () => Promise<number>;
  /** Each count found, for the metric. */
  report: (count: number) => void;
  /** Once, when todos are waiting, or when the original's collection cannot be read. */
  warn: (message: string) => void;
  /** The store's own collection, `database.collection`, for the message. */
  collection: string;
  /** How often to look again while todos wait; default a minute. */
  recheckMS?: number;
}

/** Looks now, and again while todos wait or MongoDB is down; returns a function that stops looking. */
export function watchOriginalTodos(watch: OriginalWatch): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let warned = false;
  const again = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(look, ms);
    timer.unref?.(); // never what keeps the process alive
  };
  async function look() {
    let count: number;
    try {
      count = await watch.count();
    } catch (e) {
      if (e instanceof UnavailableError) return again(RETRY_MS);
      // Say it once and stop: a user without read access to the original's database gets the same answer every time.
      return watch.warn(`cannot look for the original todod's todos in ${ORIGINAL.database}.${ORIGINAL.collection}: ${(e as Error).message}`);
    }
    watch.report(count);
    if (count === 0) return; // own collection in use, or nothing to migrate: nothing will change that needs saying
    if (!warned) {
      warned = true;
      const { database, collection } = ORIGINAL;
      watch.warn(
        `${watch.collection} is empty, but ${database}.${collection} holds ${count} todos of the original todod, which todo serve does not read: ` +
          `copy them with \`todo migrate\` (same MONGO_URL and MONGO_DB; it only reads ${database}.${collection})`,
      );
    }
    again(watch.recheckMS ?? RECHECK_MS);
  }
  void look();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
