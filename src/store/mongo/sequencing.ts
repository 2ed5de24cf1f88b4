// The MongoDB store's sequencing (docs/events.md, "The MongoDB write protocol", step 2): passes that move
// pending events into the log at the next positions and then off their documents, the sweeps for what a
// crashed daemon left, the upgrade of documents of earlier releases, and the lag this store's writes
// are behind. sequencer.ts decides when a pass runs; this is what it does.
import { type AnyBulkWriteOperation, type Filter, MongoBulkWriteError, ObjectId, type UpdateFilter } from "mongodb";
import { UnavailableError } from "../../todos/errors";
import type { MongoConnection } from "./connection";
import { isDuplicateKey } from "./errors";
import { atSeq, byIdAlone, seqOf } from "./claims";
import { BULK_SLICE, type EventDocument, EVENTS, legacyCreated, type PendingEvent, type PendingSnapshot, type StoredDocument, toEventDocument, toPending, UPDATE_SLICE } from "./documents";
import type { EventLog } from "./log";
import { numberTodos, type ShortNumbers } from "./numbering";
import type { Reminders } from "./reminders";
import { Sequencer, type Work } from "./sequencer";
import type { WriteTurns } from "./turns";

/** How often sequencing retries a position another daemon took before the pass gives up (and is retried). */
const APPEND_ATTEMPTS = 100;
/** Documents per query of a sweep or the upgrade (on FerretDB each query is a scan of the collection). */
const SWEEP_BATCH = 1000;
/** Written todos per query of a pass (one scan of the collection on FerretDB, whatever the number). */
const IDS_PER_READ = 1000;
/** The lag (see `lag`) above which, held for LAG_DEGRADED_MS, the store says it is degraded. */
const LAG_DEGRADED_EVENTS = 1000;
const LAG_DEGRADED_MS = 10_000;
const SWEEP_INTERVAL_MS = 2000;
/** While timer sweeps find nothing, they come less often, up to this (a sweep is a scan on FerretDB). */
const SWEEP_MAX_IDLE_MS = 16_000;
/** A timer sweep leaves younger pending events to the daemon that wrote them. */
const SWEEP_GRACE_MS = 5000;
const SWEEP_MAX_BACKOFF_MS = 30_000;
const UPGRADE_EVERY_MS = 60_000;
/**
 * Up to this many documents emptied of their events get an update each (a lookup by _id on FerretDB);
 * more, one updateMany (a scan of the collection on FerretDB, whatever their number).
 */
const FEW_LOOKUPS = 4;
/** Events this process remembers having logged (see `logged`): a few passes' worth. */
const LOGGED_KEPT = 20_000;

export class Sequencing {
  /** Runs the sequencing passes (see the protocol in docs/events.md). */
  private readonly sequencer = new Sequencer({
    pass: (work) => this.sequence(work),
    intervalMS: SWEEP_INTERVAL_MS,
    maxIdleMS: SWEEP_MAX_IDLE_MS,
    maxBackoffMS: SWEEP_MAX_BACKOFF_MS,
    upgradeEveryMS: UPGRADE_EVERY_MS,
    failing: (e) =>
      this.connection.options.warn?.(
        `cannot move events into ${this.connection.database}.${EVENTS} yet (they wait in their todos; retrying): ${this.connection.scrub((e as Error).message)}`,
      ),
  });
  /**
   * Per todo, the events this store's writes put into `pending` that no pass of this store has seen in
   * the log since: what `lag` counts.
   */
  private readonly unsequenced = new Map<string, number>();
  private unsequencedTotal = 0;
  /** Since when the lag has been at or above LAG_DEGRADED_EVENTS; null while it is below. */
  private laggingSince: number | null = null;
  /** Told the head after each insert of events into the log (see `onHeadMoved`). */
  private readonly headListeners = new Set<(head: number) => void>();
  /** Per todo written since the last pass, what its last write left pending, when known (see `wrote`). */
  private readonly snapshots = new Map<string, PendingSnapshot>();
  /** The events this process put into the log lately (ids, oldest first), up to LOGGED_KEPT. */
  private readonly logged = new Set<string>();
  /** During a pass: the last position it inserted or read as the highest; null to read it again. */
  private head: number | null = null;

  constructor(
    private readonly connection: MongoConnection,
    private readonly turns: WriteTurns,
    private readonly numbers: ShortNumbers,
    private readonly log: EventLog,
    private readonly reminders: Reminders,
  ) {}

  start() {
    this.sequencer.start();
  }

  /** Resolves once the passes have stopped (see MongoStore's `close`). */
  stop(): Promise<void> {
    return this.sequencer.stop();
  }

  /** Calls `listener` with the head each time a pass has put events into the log; returns what stops it. */
  onHeadMoved(listener: (head: number) => void): () => void {
    this.headListeners.add(listener);
    return () => this.headListeners.delete(listener);
  }

  /** A full sweep and the upgrade (see MongoStore's `settle`). */
  flush(): Promise<void> {
    return this.sequencer.flush();
  }

  /**
   * After a write of this store to todo `id` committed its event: counted as lag, and a pass soon. `left`:
   * the document's pending events as the write left them, which the pass then need not read (on
   * FerretDB each read of several documents is a scan of the collection).
   */
  wrote(id: string, left?: PendingSnapshot) {
    if (left) this.snapshots.set(id, left);
    else this.snapshots.delete(id); // read it, then
    this.unsequenced.set(id, (this.unsequenced.get(id) ?? 0) + 1);
    this.unsequencedTotal++;
    this.sequencer.written(id);
  }

  /** A pass saw in the log the events `counted` (per todo, as counted when it began). */
  private sequencedThrough(counted: [string, number][]) {
    for (const [id, n] of counted) {
      if (!n) continue;
      const left = (this.unsequenced.get(id) ?? 0) - n;
      if (left > 0) this.unsequenced.set(id, left);
      else this.unsequenced.delete(id);
      this.unsequencedTotal -= n + Math.min(left, 0);
    }
  }

  /**
   * Events this store's writes (and reminders) put into their todos' `pending` minus those of them
   * its sequencing has since seen in the log: 0 once they are all in (docs/events.md, "Lag").
   */
  lag(): number {
    return this.unsequencedTotal;
  }

  /**
   * Degraded while the lag has stayed at LAG_DEGRADED_EVENTS or more for LAG_DEGRADED_MS: every call
   * works, but watchers, the relay and the projection see writes late. The text changes only with the
   * lag's order of magnitude, so the log says it once, not at every check.
   */
  degraded(): string | null {
    const lag = this.unsequencedTotal;
    if (lag < LAG_DEGRADED_EVENTS) {
      this.laggingSince = null;
      return null;
    }
    this.laggingSince ??= Date.now();
    if (Date.now() - this.laggingSince < LAG_DEGRADED_MS) return null;
    const magnitude = 10 ** Math.floor(Math.log10(lag));
    return `event log over ${magnitude} events behind this daemon's writes for ${LAG_DEGRADED_MS / 1000} s or more: watchers and the relay see writes late until MongoDB takes them (todo_event_log_lag_events has the count; check MongoDB's load)`;
  }

  private remember(eventId: string) {
    this.logged.add(eventId);
    if (this.logged.size > LOGGED_KEPT) this.logged.delete(this.logged.values().next().value!);
  }

  /** One sequencing pass; sequencer.ts decides when. Resolves with the documents its sweep found pending. */
  private async sequence(work: Work): Promise<number> {
    this.head = null; // read again: positions may have been taken, or replayed, since the last pass
    const unreadable: unknown[] = [];
    // This store's events not yet seen in the log, as the pass begins: a full sweep sees all of them
    // in the log by its end, a pass over written todos those of its todos (see `lag`).
    const counted: [string, number][] = work.sweep === "all" ? [...this.unsequenced] : work.ids.map((id) => [id, this.unsequenced.get(id) ?? 0]);
    // Taken with the count, before anything is awaited: what each todo's last write left pending.
    const known = work.ids.flatMap((id) => {
      const left = this.snapshots.get(id);
      return left ? [[id, left] as const] : [];
    });
    const unknown = work.ids.filter((id) => !this.snapshots.has(id));
    await this.connection.background(() => this.connection.ensureLogIndexes());
    if (work.upgrade) {
      // Numbered first, so the created event the upgrade logs for a todo of an earlier release carries its number.
      await this.eachBatch({ number: { $exists: false }, deleted: { $ne: true } } as Filter<StoredDocument>, undefined, (docs) => numberTodos(this.connection, this.turns, this.numbers, docs));
      await this.eachBatch({ pending: { $exists: false }, deleted: { $ne: true } }, undefined, (docs) => this.upgrade(docs, unreadable));
      // Only those with a reminder still ahead (a Date, or the original's Unix seconds): the others stay unarmed untouched.
      const now = Date.now();
      const ahead = { $or: [{ reminder: { $gt: new Date(now) } }, { reminder: { $gt: Math.floor(now / 1000) } }] };
      await this.eachBatch({ reminder_due: { $exists: false }, deleted: { $ne: true }, ...ahead } as Filter<StoredDocument>, { reminder: 1, seq: 1 }, (docs) => this.reminders.arm(docs));
      await this.connection.background(() => this.connection.claims.prune());
    }
    if (work.ids.length && work.sweep !== "all") {
      const countedOf = new Map(counted);
      const through = (ids: string[]) => this.sequencedThrough(ids.map((id) => [id, countedOf.get(id) ?? 0]));
      // Those whose pending events this process's last write to them left known: no read.
      for (let i = 0; i < known.length; i += IDS_PER_READ) {
        if (this.connection.closed) return 0;
        const slice = known.slice(i, i + IDS_PER_READ);
        await this.sequenceBatch(
          slice.map(([, left]) => left),
          false,
          () => through(slice.map(([id]) => id)),
        );
        for (const [id, left] of slice) if (this.snapshots.get(id) === left) this.snapshots.delete(id);
      }
      for (let i = 0; i < unknown.length; i += IDS_PER_READ) {
        if (this.connection.closed) return 0;
        const ids = unknown.slice(i, i + IDS_PER_READ).map((id) => ObjectId.createFromHexString(id));
        // One query for them all, unsorted and unlimited: FerretDB pushes down no filter but a single
        // _id, so any other read is a scan of the collection, once per query; MongoDB uses _id's index.
        // "pending.0" first: FerretDB checks the conditions in order, and most documents have none
        // pending, which then costs no comparison with each of the ids.
        const docs = await this.connection.background(() => this.connection.todos.find({ "pending.0": { $exists: true }, _id: { $in: ids } }, { projection: { pending: 1, seq: 1 } }).toArray());
        await this.sequenceBatch(docs, false, () => through(unknown.slice(i, i + IDS_PER_READ)));
      }
    }
    let found = 0;
    if (work.sweep !== "none") {
      const filter: Filter<StoredDocument> =
        work.sweep === "all" ? { "pending.0": { $exists: true } } : { "pending.time": { $lt: new Date(Date.now() - SWEEP_GRACE_MS) } };
      await this.eachBatch(filter, { pending: 1, seq: 1 }, (docs) => ((found += docs.length), this.sequenceBatch(docs, true)));
      // After this pass's own raises of the head: the last raise to land is checked by its raiser.
      if (!this.connection.closed) await this.connection.background(() => this.log.checkHead());
      if (work.sweep === "all" && !this.connection.closed) this.sequencedThrough(counted);
    }
    // The other documents are done; the pass still fails, so the problem is reported and flush() rejects.
    if (unreadable.length) throw unreadable[0];
    return found;
  }

  /** Calls `each` with the documents matching `filter`, in _id order, SWEEP_BATCH at a time, until the store closes. */
  private async eachBatch(filter: Filter<StoredDocument>, projection: Record<string, 1> | undefined, each: (docs: StoredDocument[]) => Promise<void>) {
    let after: ObjectId | undefined;
    while (!this.connection.closed) {
      const batch = after ? { $and: [filter, { _id: { $gt: after } }] } : filter;
      const docs = await this.connection.background(() => this.connection.todos.find(batch, { projection }).sort({ _id: 1 }).limit(SWEEP_BATCH).toArray());
      if (docs.length) await each(docs);
      if (docs.length < SWEEP_BATCH) return;
      after = docs.at(-1)!._id;
    }
  }

  /** Gives documents of an earlier release their created event (unless a write or another daemon did), and sequences them. */
  private async upgrade(docs: StoredDocument[], unreadable: unknown[]): Promise<void> {
    const upgraded: Pick<StoredDocument, "_id" | "pending" | "seq">[] = [];
    for (const doc of docs) {
      if (this.connection.closed) return;
      let event: PendingEvent;
      try {
        event = toPending(legacyCreated(doc));
      } catch (e) {
        unreadable.push(e);
        continue;
      }
      const seq = await this.turns.serialized(doc._id.toHexString(), () =>
        this.connection.background(() =>
          this.connection.claims.update(this.connection.todos, doc, { version: doc.version ?? null, pending: { $exists: false } } as Filter<StoredDocument>, { $set: { pending: [event] } }),
        ),
      );
      if (seq) upgraded.push({ _id: doc._id, pending: [event], seq });
    }
    await this.sequenceBatch(upgraded, false);
  }

  /**
   * Moves the pending events of `docs` (as read) into the log, then off the documents. `swept`: found
   * by a sweep, so some may be in the log already (another daemon is at them, or one crashed). The
   * commands do not grow with the events: one read of the log for a sweep's, one insertMany and one
   * raise of the head per BULK_SLICE events, one insertMany of claims and one update per BULK_SLICE
   * documents. `inLog` is called once they are all in the log (the lag then counts them as in).
   */
  private async sequenceBatch(docs: Pick<StoredDocument, "_id" | "pending" | "seq">[], swept: boolean, inLog = () => {}): Promise<void> {
    const holding = docs.filter(({ pending }) => pending?.length);
    if (!holding.length) return inLog();
    // Those this process logged are left out without a read: their document's removal lost its claim
    // to a write (claims.ts), and the removal after that write's pass takes them off.
    let events = holding.flatMap(({ _id, pending = [] }) => pending.filter((event) => !this.logged.has(event.event_id)).map((event) => ({ todo_id: _id.toHexString(), event })));
    if (swept && events.length) {
      // Leave out at once those the log has: one read, rather than a collision for each.
      const ids = events.map(({ event }) => event.event_id);
      const known = await this.connection.background(() => this.connection.events.find({ event_id: { $in: ids } }, { projection: { event_id: 1 } }).toArray());
      const logged = new Set(known.map((doc) => doc.event_id));
      events = events.filter(({ event }) => !logged.has(event.event_id));
    }
    // In slices: FerretDB 1.24 never answers a bulk insert of 200 documents (100 it takes). Slices in
    // order keep each todo's events in version order.
    for (let i = 0; i < events.length; i += BULK_SLICE) await this.append(events.slice(i, i + BULK_SLICE));
    for (const { event } of events) this.remember(event.event_id);
    inLog();
    // Then off their documents, BULK_SLICE documents at a time. Each removal is a change of its document,
    // claimed first (claims.ts), a slice's claims in one insertMany; a document whose next change another
    // writer holds keeps its events until a later pass. Holding the claim of change seq + 1 means the
    // document is as read (had it changed, that claim would be taken), so its pending events are those
    // read, all now in the log: one updateMany empties them and counts the change, for the whole slice
    // (`_id` alone when they are few: FerretDB 1.24 looks up a single _id but scans the collection for
    // an $in, once per command). A claim that skipped a stale one, or that this process took too long
    // to use, writes with the seq read instead (byIdAlone): $pullAll of exactly the events read.
    // This process's writes to these todos wait (`serializedAll`).
    for (let i = 0; i < holding.length; i += BULK_SLICE) {
      if (this.connection.closed) return;
      const slice = holding.slice(i, i + BULK_SLICE);
      await this.turns.serializedAll(
        slice.map(({ _id }) => _id.toHexString()),
        () => this.connection.background(() => this.takeOff(slice)),
      );
    }
  }

  /** Takes the pending events of `docs` (as read, every one in the log) off their documents: see sequenceBatch. */
  private async takeOff(docs: Pick<StoredDocument, "_id" | "pending" | "seq">[]): Promise<void> {
    const claiming = Date.now();
    const claimed = await this.connection.claims.claimEach(docs);
    const emptied: ObjectId[] = [];
    const guarded: AnyBulkWriteOperation<StoredDocument>[] = [];
    docs.forEach((doc, j) => {
      const next = claimed[j];
      if (next === undefined) return;
      const seq = seqOf(doc);
      if (byIdAlone(seq, next, claiming)) emptied.push(doc._id);
      else
        guarded.push({
          updateOne: { filter: { _id: doc._id, ...atSeq(seq) } as Filter<StoredDocument>, update: { $pullAll: { pending: doc.pending }, $set: { seq: next } } as UpdateFilter<StoredDocument> },
        });
    });
    const empty = { $set: { pending: [] }, $inc: { seq: 1 } } as UpdateFilter<StoredDocument>;
    if (emptied.length > FEW_LOOKUPS) await this.connection.todos.updateMany({ _id: { $in: emptied } }, empty);
    else if (emptied.length) guarded.push(...emptied.map((_id) => ({ updateOne: { filter: { _id }, update: empty } })));
    for (let k = 0; k < guarded.length; k += UPDATE_SLICE) await this.connection.todos.bulkWrite(guarded.slice(k, k + UPDATE_SLICE), { ordered: false });
  }

  /**
   * Inserts the events at the next positions, in order, leaving out those the log has already. One
   * ordered insertMany: MongoDB inserts its documents one after another and stops at the first error,
   * so each position is inserted after the one before it.
   */
  private async append(events: { todo_id: string; event: PendingEvent }[]): Promise<void> {
    let done = 0; // events[0, done) are in the log
    for (let attempt = 0; done < events.length; attempt++) {
      if (this.connection.closed) throw new Error("the store is closed");
      if (attempt === APPEND_ATTEMPTS) throw new UnavailableError(`no free position in ${this.connection.database}.${EVENTS} after ${APPEND_ATTEMPTS} attempts; retrying later`);
      const head = this.head ?? (await this.connection.background(() => this.log.readHead()));
      const rest = events.slice(done).map(({ todo_id, event }, i) => toEventDocument(head + 1 + i, todo_id, event));
      try {
        await this.connection.background(() => this.connection.events.insertMany(rest, { ordered: true }));
        this.head = head + rest.length;
        await this.connection.background(() => this.log.raiseHead(this.head!));
        for (const listener of this.headListeners) listener(this.head);
        return;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        const inserted = e instanceof MongoBulkWriteError ? e.insertedCount : 0;
        done += inserted;
        this.head = head + inserted;
      }
      // The first event not inserted broke a unique index. Which one, FerretDB 1.24 does not say (no
      // keyPattern, no index name): look for the event.
      const { todo_id, event } = events[done]!;
      const logged = await this.connection.background(() =>
        this.connection.events.findOne({ $or: [{ event_id: event.event_id }, { todo_id, version: event.version, reminder: event.reminder ?? null }] } as Filter<EventDocument>, { projection: { event_id: 1 } }),
      );
      if (!logged) {
        // Another daemon took the position, so it is committed: the next one is free to try. (The
        // recorded head can lag, so reading it again could name the same position.)
        this.head = this.head! + 1;
        continue;
      }
      // Another event at this todo's version: its document was removed and written again outside this
      // store, so versions started over. The log keeps the first; this one is left out, loudly. For a
      // reminder, the same reminder fired twice (daemons racing on FerretDB, whose updates are not
      // atomic): the log keeps the first, as it should.
      if (logged.event_id !== event.event_id && event.kind !== "reminder_due")
        this.connection.options.warn?.(`event ${event.event_id} (todo ${todo_id} version ${event.version}) is left out of the log: it has event ${logged.event_id} at that version`);
      done++;
    }
  }
}
