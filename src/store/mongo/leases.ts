// Leases in MongoDB: one document per lease in `leases`, {_id: name, holder, expires_at, checkpoint, seq}.
// Every change of one is claimed first, as every change of a todo's document is (claims.ts): a unique
// insert of its next change number, then the update. FerretDB 1.24 applies an update as a read then a
// replacement, so two daemons taking an expired lease at the same instant could both see their
// condition hold; with the claim, exactly one of them changes the document, on FerretDB as on MongoDB.
// The checkpoint only rises, and only its holder raises it.
import { type Collection, type Filter, MongoServerError, type UpdateFilter } from "mongodb";
import type { Leases, LeaseState } from "../../todos/ports";
import { type Claims, firstSeq, settling } from "./claims";

export const LEASES = "leases";

export interface LeaseDocument {
  _id: string;
  holder: string;
  expires_at: number;
  checkpoint: number;
  /** The document's change number (claims.ts); missing in a lease an earlier release wrote (0). */
  seq?: number;
}

/** Changes of one lease tried while other daemons' changes to it come first. */
const ATTEMPTS = 8;

export class MongoLeases implements Leases {
  constructor(
    /** The collection through the store's current client (it replaces a client that hangs). */
    private readonly collection: () => Collection<LeaseDocument>,
    /** Runs a call as the store runs its own: bounded in time, errors translated (UnavailableError). */
    private readonly run: <T>(operation: () => Promise<T>) => Promise<T>,
    private readonly claims: Claims,
  ) {}

  /**
   * Applies `change` to lease `name` when `allowed` says so of the document as read: claimed, so one
   * daemon's change at a time lands. Resolves with the document as changed, or null when not allowed.
   */
  private change(name: string, allowed: (doc: LeaseDocument) => boolean, change: (doc: LeaseDocument) => { filter: Filter<LeaseDocument>; update: UpdateFilter<LeaseDocument> }) {
    return this.run(async () => {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const doc = await this.collection().findOne({ _id: name });
        if (!doc || !allowed(doc)) return null;
        const { filter, update } = change(doc);
        if ((await this.claims.update(this.collection(), doc, filter, update)) !== null) return doc;
        await settling(attempt); // another daemon changed it first, or is changing it: read again
      }
      return null;
    });
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<{ checkpoint: number } | null> {
    // Daemons without the lease ask every few seconds: a read answers most of them without a write.
    const current = await this.read(name);
    if (current && current.holder !== holder && current.expiresAt >= Date.now()) return null;
    if (!current)
      await this.run(async () => {
        try {
          await this.collection().insertOne({ _id: name, holder: "", expires_at: 0, checkpoint: 0, seq: firstSeq() });
        } catch (e) {
          // Another daemon inserted it first: it exists, which is all this step wants.
          if (!(e instanceof MongoServerError && e.code === 11000)) throw e;
        }
      });
    const free = (doc: LeaseDocument) => doc.holder === holder || doc.expires_at < Date.now();
    const taken = await this.change(name, free, (doc) => ({ filter: { holder: doc.holder, expires_at: doc.expires_at }, update: { $set: { holder, expires_at: Date.now() + ttlMs } } }));
    return taken ? { checkpoint: taken.checkpoint } : null;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return (await this.change(name, (doc) => doc.holder === holder, () => ({ filter: { holder }, update: { $set: { expires_at: Date.now() + ttlMs } } }))) !== null;
  }

  async checkpoint(name: string, holder: string, position: number): Promise<boolean> {
    return (await this.change(name, (doc) => doc.holder === holder, () => ({ filter: { holder }, update: { $max: { checkpoint: position } } }))) !== null;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.change(name, (doc) => doc.holder === holder, () => ({ filter: { holder }, update: { $set: { expires_at: 0 } } }));
  }

  async read(name: string): Promise<LeaseState | null> {
    const doc = await this.run(() => this.collection().findOne({ _id: name }));
    return doc ? { holder: doc.holder, expiresAt: doc.expires_at, checkpoint: doc.checkpoint } : null;
  }
}
