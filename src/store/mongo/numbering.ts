// The short numbers of the MongoDB store (docs/short-numbers.md): claimed in the `numbers` collection by
// a unique insert before a todo is written (by a create, or by `todo migrate` into its copy), given back
// by a replay, and given by the upgrade to the todos of earlier releases.
import type { Collection, Filter } from "mongodb";
import type { MongoConnection } from "./connection";
import { DUPLICATE_KEY, failedAt, isDuplicateKey } from "./errors";
import { type NumberDocument, type StoredDocument, toRecord } from "./documents";
import type { WriteTurns } from "./turns";

export class ShortNumbers {
  /** The last number this store claimed: the next claim tries the one after it first. */
  private lastNumber = 0;
  /** Reading the highest number taken, once before this process hands out its first. */
  private numbering: Promise<void> | null = null;

  /**
   * `numbers`: the collection (through the current client); `indexed`: resolves once its unique index
   * on `number` exists (the store's log indexes; `todo migrate` makes it itself).
   */
  constructor(
    private readonly numbers: () => Collection<NumberDocument>,
    private readonly indexed: () => Promise<void>,
  ) {}

  /** The counter read once (the highest number taken), after the unique index on `number` exists. */
  private ready(): Promise<void> {
    // The unique index on `number` is what keeps two claims of one number apart: it exists before this
    // process claims any (claims made before it, by several stores at once, shared numbers and then
    // failed its creation: the log contract's concurrent writers on FerretDB).
    this.numbering ??= this.indexed()
      .then(() => this.highest())
      .then(
        (highest) => void (this.lastNumber = Math.max(this.lastNumber, highest)),
        (e) => {
          this.numbering = null;
          throw e;
        },
      );
    return this.numbering;
  }

  /**
   * The short number of todo `id`: the one it holds already (a kept id created again, a retried create),
   * else the next free one, claimed by a unique insert. Numbers are claimed before the todo is written,
   * so a create that fails after its claim leaves a gap, never a number two todos share.
   *
   * This process hands out numbers from its own counter, one to each claim, so its concurrent creates
   * never collide with one another: when each read the highest and tried the one after it, 2,000 creates
   * at once took a round of collisions per number and most ran out of time (test/e2e/crash.test.ts).
   * Only another daemon's claims make an insert collide; the counter then moves past the highest taken.
   * The claim is tried first, without a read: a todo that holds a number refuses it by `_id`.
   */
  async claim(id: string): Promise<number> {
    await this.ready();
    for (;;) {
      const next = ++this.lastNumber;
      try {
        await this.numbers().insertOne({ _id: id, number: next });
        return next;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        // FerretDB does not say which index refused it: a document under `_id` means this todo holds a
        // number already, and `next` goes back to the counter unless a later claim took one meanwhile.
        const held = await this.numbers().findOne({ _id: id });
        if (held) {
          if (this.lastNumber === next) this.lastNumber = next - 1;
          return held.number;
        }
        // Another daemon took `next`: go on past the highest taken.
        this.lastNumber = Math.max(this.lastNumber, await this.highest());
      }
    }
  }

  /**
   * The short numbers of todos `ids`, claimed by one unordered insert: each takes the counter's next.
   * One another daemon took meanwhile, or an id that holds a number already (a `todo migrate` run
   * again), is claimed again alone (`claim`, which finds the number it holds).
   */
  async claimMany(ids: string[]): Promise<number[]> {
    if (ids.length === 1) return [await this.claim(ids[0]!)];
    await this.ready();
    const numbers = ids.map(() => ++this.lastNumber);
    try {
      await this.numbers().insertMany(
        ids.map((_id, i) => ({ _id, number: numbers[i]! })),
        { ordered: false },
      );
      return numbers;
    } catch (e) {
      const failed = failedAt(e);
      if (!failed || [...failed.values()].some((w) => w.code !== DUPLICATE_KEY)) throw e;
      // Another daemon took some of them: those are claimed again, past the highest taken.
      this.lastNumber = Math.max(this.lastNumber, await this.highest());
      for (const i of failed.keys()) numbers[i] = await this.claim(ids[i]!);
      return numbers;
    }
  }

  private async highest(): Promise<number> {
    return (await this.numbers().find({}, { projection: { number: 1 } }).sort({ number: -1 }).limit(1).toArray())[0]?.number ?? 0;
  }

  /** Claims number `wanted` for todo `id` (a replay): the todo's own number if it has one, else `wanted`, or 0 when another todo holds it. */
  async claimGiven(id: string, wanted: number): Promise<number> {
    try {
      await this.numbers().insertOne({ _id: id, number: wanted });
      return wanted;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      return (await this.numbers().findOne({ _id: id }))?.number ?? 0;
    }
  }
}

/**
 * Numbers the todos of earlier releases (and replayed ones whose number was taken), in _id order: at most
 * once each, whoever does it. The write sets the number alone, on the version read, claimed as every
 * change of a document is (claims.ts), so it never overwrites another write, on FerretDB too.
 */
export async function numberTodos(connection: MongoConnection, turns: WriteTurns, numbers: ShortNumbers, docs: StoredDocument[]): Promise<void> {
  for (const doc of docs) {
    if (connection.closed) return;
    // A document this daemon cannot read is left exactly as it is (the upgrade reports it).
    try {
      toRecord(doc);
    } catch {
      continue;
    }
    const id = doc._id.toHexString();
    const number = await connection.run(() => numbers.claim(id));
    await turns.serialized(id, () =>
      connection.run(() => connection.claims.update(connection.todos, doc, { version: doc.version ?? null, number: { $exists: false } } as Filter<StoredDocument>, { $set: { number } })),
    );
  }
}
