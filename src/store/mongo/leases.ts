// Leases in MongoDB: one document per lease in `leases`, {_id: name, holder, expires_at, checkpoint},
// changed only by single-document conditional updates, which is all FerretDB 1.24 and a standalone
// MongoDB offer (no transactions).
//
// FerretDB 1.24 applies an update as a read, then a replacement of the document, so two daemons taking
// an expired lease at the same instant could both see their condition hold. Acquire therefore reads
// the document back and holds the lease only if it names this holder: of two such writes the later one
// stays, and the other daemon sees it and backs off. A remaining overlap (both read back before the
// second write lands) lasts until the loser's next renew, which fails; it costs duplicates, never a
// gap, because the checkpoint only rises ($max) and each holder raises it only to a position the
// broker confirmed to it, publishing from the checkpoint it took without skipping any.
import { type Collection, MongoServerError } from "mongodb";
import type { Leases, LeaseState } from "../../todos/ports";

export const LEASES = "leases";

interface LeaseDocument {
  _id: string;
  holder: string;
  expires_at: number;
  checkpoint: number;
}

export class MongoLeases implements Leases {
  constructor(
    /** The collection through the store's current client (it replaces a client that hangs). */
    private readonly collection: () => Collection<LeaseDocument>,
    /** Runs a call as the store runs its own: bounded in time, errors translated (UnavailableError). */
    private readonly run: <T>(operation: () => Promise<T>) => Promise<T>,
  ) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<{ checkpoint: number } | null> {
    // Daemons without the lease ask every few seconds: a read answers most of them without a write.
    const current = await this.read(name);
    if (current && current.holder !== holder && current.expiresAt >= Date.now()) return null;
    if (!current)
      await this.run(async () => {
        try {
          await this.collection().updateOne({ _id: name }, { $setOnInsert: { holder: "", expires_at: 0, checkpoint: 0 } }, { upsert: true });
        } catch (e) {
          // Another daemon inserted it first: it exists, which is all this step wants.
          if (!(e instanceof MongoServerError && e.code === 11000)) throw e;
        }
      });
    const now = Date.now();
    const taken = await this.run(() => this.collection().updateOne({ _id: name, $or: [{ holder }, { expires_at: { $lt: now } }] }, { $set: { holder, expires_at: now + ttlMs } }));
    if (taken.matchedCount !== 1) return null;
    const stored = await this.read(name);
    return stored?.holder === holder ? { checkpoint: stored.checkpoint } : null;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const renewed = await this.run(() => this.collection().updateOne({ _id: name, holder }, { $set: { expires_at: Date.now() + ttlMs } }));
    return renewed.matchedCount === 1;
  }

  async checkpoint(name: string, holder: string, position: number): Promise<boolean> {
    const raised = await this.run(() => this.collection().updateOne({ _id: name, holder }, { $max: { checkpoint: position } }));
    return raised.matchedCount === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.run(() => this.collection().updateOne({ _id: name, holder }, { $set: { expires_at: 0 } }));
  }

  async read(name: string): Promise<LeaseState | null> {
    const doc = await this.run(() => this.collection().findOne({ _id: name }));
    return doc
      ? {
          holder: doc.holder,
          expiresAt: doc.expires_at,
          checkpoint: doc.checkpoint,
        }
      : null;
  }
}
