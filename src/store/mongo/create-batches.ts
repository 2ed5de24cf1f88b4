// Group commit of creates with fresh ids on the MongoDB store: the creates that arrive while one batch is
// being written go together in the next, as one `insert` of their short numbers and one of their
// documents, so concurrent creates cost two commands a batch instead of two each. A create alone goes at
// once (a batch of one): nothing waits for company.
import type { ObjectId } from "mongodb";
import { DUPLICATE_KEY, failedAt } from "./errors";
import type { MongoConnection } from "./connection";
import type { ShortNumbers } from "./numbering";
import type { StoredDocument } from "./documents";

/** Creates one insert carries at most (MongoDB's own limit is 100,000 documents or 48 MB). */
const MAX_BATCH = 256;

/** One create waiting to be written. */
export interface QueuedCreate<R> {
  _id: ObjectId;
  /** The document (and what the caller gets back) once the todo's number is known. */
  build(number: number): { doc: StoredDocument; result: R };
  /** Told right before its document is sent (the caller's write tracker). */
  sending(): void;
}

interface Waiting {
  create: QueuedCreate<unknown>;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

export class CreateBatches {
  private queue: Waiting[] = [];
  private writing = false;

  constructor(
    private readonly connection: MongoConnection,
    private readonly numbers: ShortNumbers,
  ) {}

  /** Writes `create` with the next batch; resolves with what its build returned once its document is in. */
  add<R>(create: QueuedCreate<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ create, resolve: resolve as (result: unknown) => void, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) await this.write(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.writing = false;
    }
  }

  private async write(waiting: Waiting[]): Promise<void> {
    let numbers: number[];
    try {
      numbers = await this.numbers.claimMany(waiting.map((w) => w.create._id.toHexString()));
    } catch (e) {
      for (const w of waiting) w.reject(e);
      return;
    }
    // A create whose caller gave up meanwhile (its call timed out) is not sent: its number stays a gap.
    const batch: { w: Waiting; doc: StoredDocument; result: unknown }[] = [];
    for (const [i, w] of waiting.entries()) {
      try {
        const { doc, result } = w.create.build(numbers[i]!);
        w.create.sending();
        batch.push({ w, doc, result });
      } catch (e) {
        w.reject(e);
      }
    }
    if (batch.length === 0) return;
    let failures: Map<number, { code?: number }> | undefined;
    try {
      await this.connection.todos.insertMany(
        batch.map((b) => b.doc),
        { ordered: false },
      );
    } catch (e) {
      failures = failedAt(e);
      if (!failures) {
        for (const { w } of batch) w.reject(e);
        return;
      }
    }
    for (const [i, { w, result }] of batch.entries()) {
      const failure = failures?.get(i);
      // A fresh ObjectId is this create's alone: a duplicate is the driver's retry of an insert that committed.
      if (failure === undefined || failure.code === DUPLICATE_KEY) w.resolve(result);
      else w.reject(failure);
    }
  }
}
