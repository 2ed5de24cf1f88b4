// Claims: the one way a todo's document changes after it is inserted (docs/events.md, "Claims"). Every
// change of a document (a write, a reminder firing, sequencing taking events off, the upgrade, a number, a
// migration) first claims the document's next change number by inserting {_id: "<todo id>:<seq>"} into
// `claims`, then applies its update and sets the number it claimed. Holding that claim means the
// document is as read, so the update finds it by `_id` alone (see byIdAlone). A unique insert is
// atomic on every MongoDB-wire server, FerretDB 1.24 included, where no conditional update is: so
// exactly one writer may apply each change of a document, and a document never goes back, across any
// number of daemons.
//
// Claims are tiny and not released: a claim whose update did not match names a change number the
// document has already passed (the seq it was made on is gone), so it stands in nobody's way. Only a
// claim whose writer died between the claim and the update holds a document back; after CLAIM_STALE_MS
// the next writer skips it (claims the number after it, and updates on the seq read). Claims older than
// CLAIM_KEPT_MS are removed.
import { type Collection, type Document, type Filter, MongoBulkWriteError, type ObjectId, type UpdateFilter } from "mongodb";
import { isDuplicateKey } from "./errors";

export const CLAIMS = "claims";

export interface ClaimDocument {
  /** `<todo id hex>:<change number>` */
  _id: string;
  /** When it was made (the claimer's clock): a claim older than CLAIM_STALE_MS is skipped. */
  at: Date;
}

/**
 * How long a claim may stand without its update before the next writer skips it: far longer than any
 * update takes to apply once claimed (milliseconds; a 5 s pause of the server delays both alike). A
 * writer that did claim and still applies later than this could overwrite the skipper's change: the
 * one window left, documented in docs/events.md.
 */
export const CLAIM_STALE_MS = 15_000;
/** Claims kept this long: older ones cannot matter to a write in progress and are removed. */
export const CLAIM_KEPT_MS = 60 * 60 * 1000;
/** Stale claims one write skips before it gives up (each is a writer that died mid-write). */
const MAX_SKIPS = 5;

/**
 * The change number a document is inserted with: random, so that a document removed and written again
 * outside the store (a restore, a test's cleanup, a replay started over) never meets the claims of its
 * earlier life. Below 2^40, far from 2^53.
 */
export function firstSeq(): number {
  return 1 + Math.floor(Math.random() * 2 ** 40);
}

/** A document's change number as read: 0 for one without (written by an earlier release, or by hand). */
export function seqOf(doc: { seq?: number }): number {
  return doc.seq ?? 0;
}

/** The filter that matches a document still at change number `seq` (0 matches a missing field). */
export function atSeq(seq: number): { seq: number | null } {
  return { seq: seq === 0 ? null : seq };
}

/**
 * A pause before the next attempt after a claim was lost, growing to 64 ms: another writer holds the
 * document's next change, and its update lands within milliseconds. Jittered, so writers that lost
 * together do not come back together.
 */
export function settling(attempt: number): Promise<void> {
  const ms = Math.min(2 ** attempt, 64);
  return new Promise((resolve) => setTimeout(resolve, ms / 2 + Math.random() * ms));
}

/**
 * Whether a claimed update finds its document by `_id` alone. Holding the claim of change seq + 1 means
 * the document is still at seq as read (had it changed, that claim would be taken), so `_id` alone
 * finds it: the one filter FerretDB 1.24 looks up rather than scanning the whole collection for (a
 * second condition made each update a scan). Not when the claim skipped a stale one, or was made long
 * enough ago (the process stalled) that it may have been skipped meanwhile: then the update carries
 * its conditions and the seq read, so that a late update does not overwrite the skipper's.
 */
export function byIdAlone(seq: number, next: number, claiming: number): boolean {
  return next === seq + 1 && Date.now() - claiming < CLAIM_STALE_MS / 2;
}

/** A document's id in its claims: a todo's ObjectId as hex, a lease's name as it is. */
type ClaimedId = ObjectId | string;
const claimId = (doc: ClaimedId, seq: number) => `${typeof doc === "string" ? doc : doc.toHexString()}:${seq}`;

export class Claims {
  constructor(private readonly collection: () => Collection<ClaimDocument>) {}

  /**
   * Claims the next change of document `todo` read at change number `seq`: resolves with the number
   * claimed (seq + 1, or later past stale claims), or null when a live writer holds it (read again,
   * a little later).
   */
  async claim(todo: ClaimedId, seq: number): Promise<number | null> {
    const claims = this.collection();
    for (let next = seq + 1; next <= seq + 1 + MAX_SKIPS; next++) {
      try {
        await claims.insertOne({ _id: claimId(todo, next), at: new Date() });
        return next;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
      const held = await claims.findOne({ _id: claimId(todo, next) });
      // Held by a writer at work (or its update landed and the caller read too early): wait for it.
      if (!held || Date.now() - held.at.getTime() < CLAIM_STALE_MS) return null;
    }
    return null;
  }

  /**
   * Applies `update` to document `current` (as read) where `filter` (conditions drawn from that read)
   * still holds: claims its next change number, then updates on the number read, setting the claimed
   * one. Resolves with the document's change number after it when it applied; null when another
   * writer changed the document first, or holds its next change now (read again: a little later then).
   */
  async update<T extends Document & { _id: ClaimedId; seq?: number }>(collection: Collection<T>, current: { _id: ClaimedId; seq?: number }, filter: Filter<T>, update: UpdateFilter<T>): Promise<number | null> {
    const seq = seqOf(current);
    const claiming = Date.now();
    const next = await this.claim(current._id, seq);
    if (next === null) return null;
    const $set = { ...(update.$set as object), seq: next };
    const where = byIdAlone(seq, next, claiming) ? { _id: current._id } : { ...filter, _id: current._id, ...atSeq(seq) };
    const { matchedCount } = await collection.updateOne(where as Filter<T>, { ...update, $set } as UpdateFilter<T>);
    // A number claimed past a stale claim is ahead of the document if the stale writer applied after
    // all: released, or it would hold back the next writer.
    if (!matchedCount && next > seq + 1) await this.collection().deleteOne({ _id: claimId(current._id, next) });
    return matchedCount ? next : null;
  }

  /**
   * Claims the next change of each of `docs` in one command; resolves with the numbers claimed, by
   * index (undefined where another writer holds it: that document is left for a later pass). A number
   * taken is looked at alone, as `claim` does: one a dead writer left is skipped once stale.
   */
  async claimEach(docs: { _id: ObjectId; seq?: number }[]): Promise<(number | undefined)[]> {
    if (!docs.length) return [];
    const at = new Date();
    const numbers: (number | undefined)[] = docs.map((doc) => seqOf(doc) + 1);
    try {
      await this.collection().insertMany(
        docs.map((doc, i) => ({ _id: claimId(doc._id, numbers[i]!), at })),
        { ordered: false },
      );
    } catch (e) {
      if (!(e instanceof MongoBulkWriteError)) throw e;
      const errors = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
      for (const error of errors) if (error.code !== 11000) throw e;
      for (const { index } of errors) numbers[index] = (await this.claim(docs[index]!._id, seqOf(docs[index]!))) ?? undefined;
    }
    return numbers;
  }

  /** Removes claims older than CLAIM_KEPT_MS. */
  async prune(now = Date.now()): Promise<void> {
    await this.collection().deleteMany({ at: { $lt: new Date(now - CLAIM_KEPT_MS) } });
  }
}
