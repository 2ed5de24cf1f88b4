// The MongoDB store's event log (docs/events.md, "The MongoDB write protocol", step 3): reading it by
// position, its head (recorded in `event_log_head`, checked against the log), and replaying another
// store's events into an empty one.
import { ObjectId } from "mongodb";
import type { TodoEvent } from "../../todos/ports";
import { firstSeq } from "./claims";
import type { MongoConnection } from "./connection";
import { armed, BULK_SLICE, EVENTS, type StoredDocument, toEvent, toEventDocument, toPending, toRecord, toStored, UPDATE_SLICE } from "./documents";
import type { ShortNumbers } from "./numbering";

export class EventLog {
  constructor(
    private readonly connection: MongoConnection,
    private readonly numbers: ShortNumbers,
  ) {}

  async read(after: number, limit: number): Promise<TodoEvent[]> {
    if (limit <= 0) return []; // to MongoDB, a limit of 0 is none
    return this.connection.run(async () => (await this.connection.events.find({ _id: { $gt: after } }).sort({ _id: 1 }).limit(limit).toArray()).map(toEvent));
  }

  async headPosition(): Promise<number> {
    return this.connection.run(() => this.readHead());
  }

  /**
   * The head as recorded; without a record (a log written before there was one), the highest _id. The
   * record can lag behind the log (a crash between an insert and raising it), never run ahead: every
   * position up to it is committed.
   */
  async readHead(): Promise<number> {
    const recorded = await this.connection.logHead.findOne({ _id: EVENTS });
    if (!recorded) {
      const [last] = await this.connection.events.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).toArray();
      return last?._id ?? 0;
    }
    return recorded.position;
  }

  /**
   * The recorded head is a lower bound, and on FerretDB two daemons raising it at once can even lower
   * it (its $max is a read then a replacement: the smaller value may land last, after both checked).
   * Positions have no gaps, so the log goes on as long as the next one exists: looked up by _id,
   * galloping then halving, and the record raised to what was found. FerretDB pushes down only a
   * string or ObjectId _id, so each lookup of a position is a scan of the log there: timer sweeps do
   * this, not every read of the head.
   */
  async checkHead(): Promise<void> {
    const exists = async (position: number) => (await this.connection.events.findOne({ _id: position })) !== null;
    let known = await this.readHead(); // in the log (or 0)
    if (!(await exists(known + 1))) return;
    let beyond = known + 2; // the first position not known to be in the log
    for (let step = 2; await exists(beyond); step *= 2) [known, beyond] = [beyond, beyond + step];
    while (beyond - known > 1) {
      const middle = Math.floor((known + beyond) / 2);
      if (await exists(middle)) known = middle;
      else beyond = middle;
    }
    this.connection.options.warn?.(`the recorded head of ${this.connection.database}.${EVENTS} was behind the log; raised to ${known}`);
    await this.raiseHead(known);
  }

  /**
   * Raises the recorded head to `position`, which is committed. On FerretDB another daemon's $max,
   * computed from an older read, can replace this one: read back (by _id, a lookup) and raise again.
   */
  async raiseHead(position: number): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.connection.logHead.updateOne({ _id: EVENTS }, { $max: { position } }, { upsert: true });
      if (((await this.connection.logHead.findOne({ _id: EVENTS }))?.position ?? 0) >= position) return;
    }
  }

  async replay(events: TodoEvent[]): Promise<void> {
    if (!events.length) return;
    // Only each todo's last event of the batch decides what its document becomes; its armed reminder
    // follows every event, from what the store holds for a todo the batch does not create.
    const last = new Map(events.map((event) => [event.todoId, event]));
    const continued = [...last.keys()].filter((id) => events.find((e) => e.todoId === id)!.kind !== "created");
    const reminders = new Map<string, { reminder: number | null; due: Date | null }>();
    if (continued.length)
      for (const doc of await this.connection.run(() => this.connection.todos.find({ _id: { $in: continued.map((id) => ObjectId.createFromHexString(id)) }, deleted: { $ne: true } }).toArray()))
        reminders.set(doc._id.toHexString(), { reminder: toRecord(doc).reminder, due: doc.reminder_due ?? null });
    for (const event of events) {
      const before = reminders.get(event.todoId);
      const reminder = event.todo.reminder;
      if (event.kind === "created") reminders.set(event.todoId, { reminder, due: armed(reminder) });
      else if (event.kind === "updated" && before?.reminder !== reminder) reminders.set(event.todoId, { reminder, due: armed(reminder) });
      else if (event.kind === "reminder_due" && before) before.due = null;
    }
    // Each todo keeps the number the other store gave it (an empty store has them all free); one it cannot
    // have stays unnumbered, and the upgrade numbers it.
    const numbers = new Map<string, number>();
    await this.connection.run(async () => {
      // After the indexes: FerretDB was seen to stall when the numbers collection is first written while its index is made.
      await this.connection.ensureLogIndexes();
      for (const event of last.values())
        if (event.kind !== "deleted" && event.todo.number > 0) numbers.set(event.todoId, await this.numbers.claimGiven(event.todoId, event.todo.number));
    });
    const todoWrites = [...last.values()].map((event) => {
      const { _id, ...stored } = toStored({ ...event.todo, number: numbers.get(event.todoId) ?? 0 });
      const tombstone = { version: event.version, update_time: new Date(event.time), deleted: true as const, pending: [], seq: firstSeq() };
      const replacement =
        event.kind === "deleted" ? (tombstone as unknown as StoredDocument) : { ...stored, reminder_due: reminders.get(event.todoId)?.due ?? null, pending: [], seq: firstSeq() };
      return { replaceOne: { filter: { _id }, replacement, upsert: true } };
    });
    const logged = events.map((event) => toEventDocument(event.position, event.todoId, toPending(event)));
    await this.connection.run(async () => {
      await this.connection.ensureLogIndexes();
      // The todos first: a replay that stops between the two starts again after the log's head, and
      // writing a todo's snapshot again is harmless.
      for (let i = 0; i < todoWrites.length; i += UPDATE_SLICE) await this.connection.todos.bulkWrite(todoWrites.slice(i, i + UPDATE_SLICE), { ordered: true });
      for (let i = 0; i < logged.length; i += BULK_SLICE) await this.connection.events.insertMany(logged.slice(i, i + BULK_SLICE), { ordered: true });
      await this.raiseHead(events.at(-1)!.position);
    });
  }

}
