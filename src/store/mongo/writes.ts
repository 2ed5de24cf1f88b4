// The MongoDB store's writes: create, update and delete, each a single-document write that carries its
// event (docs/events.md, "The MongoDB write protocol", step 1), retried when another writer came first.
import type { Filter, ObjectId } from "mongodb";
import { newId } from "../../todos/id";
import type { TodoFields, TodoRecord } from "../../todos/model";
import { AlreadyExistsError, NotFoundError, UnavailableError, VersionMismatchError } from "../../todos/errors";
import { changeOf } from "../../todos/changes";
import type { Change, CreateOptions, WriteOptions } from "../../todos/ports";
import type { MongoConnection } from "./connection";
import { firstSeq, settling } from "./claims";
import { isDuplicateKey } from "./errors";
import { armed, compareAndSet, type NextWrite, objectId, type PendingSnapshot, type StoredDocument, TOMBSTONE_UNSET, toPending, toRecord, toStored, updated } from "./documents";
import type { CreateBatches } from "./create-batches";
import type { ShortNumbers } from "./numbering";
import type { WriteTurns } from "./turns";

/**
 * How often a write retries when another writer came first or is writing (no expected version): with
 * `settling` between attempts, about a second in all.
 */
const WRITE_ATTEMPTS = 20;

export class TodoWrites {
  constructor(
    private readonly connection: MongoConnection,
    private readonly turns: WriteTurns,
    private readonly numbers: ShortNumbers,
    private readonly batches: CreateBatches,
    /** Told after each write committed its event to todo `id`, with what it left pending when known (see MongoStore's `wrote`). */
    private readonly wrote: (id: string, pending?: PendingSnapshot) => void,
  ) {}

  async create(fields: TodoFields, options: WriteOptions & CreateOptions = {}): Promise<Change> {
    const { id, actor, times } = options;
    const _id = objectId(id ?? newId());
    // The domain only passes well-formed ids; one that cannot be an ObjectId cannot be kept.
    if (!_id) throw new Error(`cannot keep id "${id}": MongoDB ids are 24 hex digits`);
    if (id === undefined) {
      // A fresh id is new everywhere: no tombstone to revive, nothing to read first. It goes with the
      // creates arriving meanwhile (create-batches.ts).
      const { change, left } = await this.connection.run((sending) =>
        this.batches.add({
          _id,
          build: (number) => {
            const now = Date.now();
            const todo: TodoRecord = { ...fields, id: _id.toHexString(), createTime: times?.createTime ?? now, updateTime: times?.updateTime ?? now, version: 1, number };
            const change = changeOf("created", todo, { version: 1, time: now, actor });
            const left = { _id, pending: [toPending(change)], seq: firstSeq() };
            return { doc: { ...toStored(todo), reminder_due: armed(todo.reminder), ...left }, result: { change, left } };
          },
          sending: () => sending.sending(),
        }),
      );
      this.wrote(change.todoId, left);
      return change;
    }
    const write = () =>
      this.connection.run(async (sending) => {
        // The insert comes first: a kept id is usually new, and a create is then one round trip. Only
        // when it is taken does the create read what holds it.
        let tombstone: Pick<StoredDocument, "_id" | "deleted" | "version" | "seq" | "pending"> | null = null;
        let number: number | undefined;
        for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
          sending.going();
          // A kept id may belong to a live todo (taken) or to a deleted one's tombstone (revived).
          if (attempt > 0) tombstone = await this.connection.todos.findOne({ _id }, { projection: { deleted: 1, version: 1, seq: 1, pending: 1 } });
          if (tombstone && !tombstone.deleted) throw new AlreadyExistsError(id!);
          const now = Date.now();
          const version = tombstone ? tombstone.version + 1 : 1;
          number ??= await this.numbers.claim(_id.toHexString());
          const todo: TodoRecord = { ...fields, id: _id.toHexString(), createTime: times?.createTime ?? now, updateTime: times?.updateTime ?? now, version, number };
          const change = changeOf("created", todo, { version, time: now, actor });
          if (tombstone) {
            const { _id: _, ...stored } = toStored(todo);
            sending.sending();
            const pending = toPending(change);
            const revived = await this.connection.claims.update(
              this.connection.todos,
              tombstone,
              { deleted: true, version: tombstone.version },
              { $set: { ...stored, reminder_due: armed(todo.reminder) }, $unset: { deleted: "" }, $push: { pending } },
            );
            if (revived) return { change, left: tombstone.pending && { _id, pending: [...tombstone.pending, pending], seq: revived } };
            await settling(attempt); // revived or deleted again meanwhile, or being so: look again
          }
          try {
            sending.sending();
            const left = { _id, pending: [toPending(change)], seq: firstSeq() };
            await this.connection.todos.insertOne({ ...toStored(todo), reminder_due: armed(todo.reminder), ...left });
            return { change, left };
          } catch (e) {
            if (!isDuplicateKey(e)) throw e;
            // A fresh ObjectId is this call's alone: the driver's retry of an insert that had committed.
            if (id === undefined) return { change };
            // A kept id: another create's, or again the driver's retry of this one (its event tells);
            // else the next attempt reads what holds it.
            if (await this.recorded(_id, change.eventId)) return { change };
          }
        }
        throw this.contended(id!);
      });
    const { change, left } = await (id === undefined ? write() : this.turns.serialized(id, write));
    this.wrote(change.todoId, left);
    return change;
  }

  /** Whether the event `eventId` of todo `_id` was written: still pending in its document, or in the log. */
  private async recorded(_id: ObjectId, eventId: string): Promise<boolean> {
    if (await this.connection.todos.findOne({ _id, "pending.event_id": eventId } as Filter<StoredDocument>, { projection: { _id: 1 } })) return true;
    return (await this.connection.events.findOne({ event_id: eventId }, { projection: { _id: 1 } })) !== null;
  }


  /** After WRITE_ATTEMPTS compare-and-sets lost to other writers. */
  private contended(id: string): UnavailableError {
    return new UnavailableError(`todo ${id} changed ${WRITE_ATTEMPTS} times while this write was trying; try again`);
  }

  /**
   * Writes the next version of a live todo with its event, by compare-and-set on the version read
   * (docs/events.md, "The MongoDB write protocol"). `next` builds the update and the change from the todo as read, which
   * `toRecord` reads from a document of any shape it tolerates: a document it cannot read fails the write
   * before anything changes (UnreadableTodoError), and one of another shape is compared by the version
   * it is served with (1 when it has none), so its etag holds.
   */
  private async writeNext(id: string, expectedVersion: number | undefined, next: (current: TodoRecord, now: number) => NextWrite): Promise<Change> {
    const _id = objectId(id);
    if (!_id) throw new NotFoundError(id);
    const { change, left } = await this.turns.serialized(id, () =>
      this.connection.run(async (sending) => {
        for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
          sending.going();
          const current = await this.connection.todos.findOne({ _id }); // by _id alone, as in get()
          if (!current || current.deleted === true) throw new NotFoundError(id);
          const todo = toRecord(current);
          if (expectedVersion !== undefined && todo.version !== expectedVersion) throw new VersionMismatchError(id);
          const write = next(todo, Date.now());
          const { filter, update, pending } = compareAndSet(current, write);
          sending.sending();
          const seq = await this.connection.claims.update(this.connection.todos, current, filter, update);
          if (seq) return { change: write.change, left: { _id, pending, seq } };
          // Else another writer came first, or is writing now: the next read tells whether this write still applies.
          await settling(attempt);
        }
        throw this.contended(id);
      }),
    );
    this.wrote(id, left);
    return change;
  }

  async update(id: string, fields: Partial<TodoFields>, options: WriteOptions & { expectedVersion?: number } = {}): Promise<Change> {
    return this.writeNext(id, options.expectedVersion, (current, now) => updated(current, fields, now, options.actor));
  }

  async delete(id: string, options: WriteOptions & { expectedVersion?: number } = {}): Promise<Change> {
    return this.writeNext(id, options.expectedVersion, (current, now) => {
      const version = current.version + 1;
      return {
        change: changeOf("deleted", current, { version, time: now, actor: options.actor }),
        update: { $set: { deleted: true, version, update_time: new Date(now) }, $unset: TOMBSTONE_UNSET },
      };
    });
  }

}
