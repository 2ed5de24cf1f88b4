// The MongoDB store's reminders: firing the armed reminders that are due (a compare-and-set that pushes a
// reminder_due event, as a write does), the next one due, and arming those of documents written without
// `reminder_due`.
import type { Filter } from "mongodb";
import type { TodoRecord } from "../../todos/model";
import { reminderDueOf } from "../../todos/changes";
import type { Change } from "../../todos/ports";
import type { MongoConnection } from "./connection";
import { settling } from "./claims";
import { armed, type StoredDocument, storedStates, toPending, toRecord } from "./documents";
import type { WriteTurns } from "./turns";

/** Reminders one store fires at once (each its own claimed change). */
const FIRE_CONCURRENCY = 4;
/** Times one reminder is tried while other writers' changes to its todo come first. */
const FIRE_ATTEMPTS = 10;

/** Todos whose armed reminder may fire (the state_reminder_due index's prefix). */
const NOT_DONE = { state: { $in: storedStates(["STATE_NOT_STARTED", "STATE_IN_PROGRESS"]) } };

export class Reminders {
  constructor(
    private readonly connection: MongoConnection,
    private readonly turns: WriteTurns,
    /** Told after each reminder fired, as after a write (see MongoStore's `wrote`). */
    private readonly wrote: (id: string) => void,
  ) {}

  /**
   * Fires the armed reminders due by `now` of todos not DONE. Each is one compare-and-set on its todo's
   * document, as a write is (claimed, claims.ts): on the armed reminder and the version read, it disarms the reminder and
   * pushes the reminder_due event into `pending`, where sequencing positions it like any write's event.
   * The version is not bumped (the etag stays); being in the condition, it makes the event's snapshot
   * the todo's (so a todo done meanwhile does not fire). A reminder that no longer matches the todo's
   * (moved by an earlier release) is armed at the todo's instead. The claim lets one daemon fire each
   * reminder, on FerretDB too; the log's unique (todo_id, version, reminder) would keep a second out.
   */
  async fireDue(now: number, limit: number): Promise<Change[]> {
    if (limit <= 0) return [];
    const due = await this.connection.run(() =>
      this.connection.todos
        // Only which reminder is due: `fire` reads each todo again in its turn.
        .find({ ...NOT_DONE, reminder_due: { $lte: new Date(now) }, deleted: { $ne: true } } as Filter<StoredDocument>, { projection: { reminder_due: 1 } })
        .sort({ reminder_due: 1 })
        .limit(limit)
        .toArray(),
    );
    // Every one of them is due: in a random order, several at a time, so that daemons firing at the same
    // moment mostly take different todos rather than queueing behind each other on the same ones.
    for (let i = due.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [due[i], due[j]] = [due[j]!, due[i]!];
    }
    const fired: Change[] = [];
    let taken = 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: Math.min(FIRE_CONCURRENCY, due.length) }, async () => {
        while (taken < due.length && !this.connection.closed) {
          const change = await this.fire(due[taken++]!, now);
          if (change) {
            fired.push(change);
            this.wrote(change.todoId);
          }
        }
      }),
    );
    const failed = outcomes.find((outcome) => outcome.status === "rejected");
    if (failed && !fired.length) throw failed.reason;
    return fired;
  }

  /**
   * Fires the reminder `found` was due with, if its todo still has it armed: read again in this
   * daemon's turn on the todo (the find's copy may predate a write, or the removal of its logged
   * events, either of which makes the claim of its next change lost), and tried again when another
   * writer's change came first. Null when it did not fire (see fireDue).
   */
  private fire(found: StoredDocument, now: number): Promise<Change | null> {
    const reminder = found.reminder_due!;
    return this.turns.serialized(found._id.toHexString(), () =>
      this.connection.run(async () => {
        for (let attempt = 0; attempt < FIRE_ATTEMPTS; attempt++) {
          const doc = await this.connection.todos.findOne({ _id: found._id });
          // Fired (by another daemon), disarmed or moved meanwhile; or deleted.
          if (!doc || doc.deleted === true || doc.reminder_due?.getTime() !== reminder.getTime()) return null;
          let todo: TodoRecord | null;
          try {
            todo = toRecord(doc);
          } catch {
            todo = null; // unreadable: disarmed, so it is not found due again and again
          }
          if (todo?.state === "STATE_DONE") return null; // done since the find
          if (todo?.reminder !== reminder.getTime()) {
            await this.connection.claims.update(this.connection.todos, doc, { reminder_due: reminder }, { $set: { reminder_due: todo && armed(todo.reminder) } });
            return null;
          }
          // A document of an earlier release gets its history (the upgrade) before anything is logged of it.
          if (doc.pending === undefined) return null;
          const change = reminderDueOf(todo, reminder.getTime(), Math.max(now, Date.now()));
          const fired = await this.connection.claims.update(this.connection.todos, doc, { reminder_due: reminder }, { $set: { reminder_due: null }, $push: { pending: toPending(change) } });
          if (fired) return change;
          await settling(attempt);
        }
        return null; // the next look for due reminders tries again
      }),
    );
  }

  async nextDue(): Promise<number | null> {
    return this.connection.run(async () => {
      const [next] = await this.connection.todos
        .find({ ...NOT_DONE, reminder_due: { $type: "date" }, deleted: { $ne: true } } as Filter<StoredDocument>, { projection: { reminder_due: 1 } })
        .sort({ reminder_due: 1 })
        .limit(1)
        .toArray();
      return next?.reminder_due?.getTime() ?? null;
    });
  }

  /**
   * Arms the reminders of documents written without `reminder_due` (by an earlier release, `todo
   * migrate`, or by hand) whose reminder is still ahead; one that passed before this release never
   * fires (docs/events.md, "Reminders"). Conditional on the field still missing, so daemons agree.
   */
  async arm(docs: StoredDocument[]): Promise<void> {
    for (const doc of docs) {
      if (this.connection.closed) return;
      let reminder: number | null;
      try {
        reminder = toRecord(doc).reminder;
      } catch {
        continue; // the upgrade reports a document it cannot read
      }
      await this.turns.serialized(doc._id.toHexString(), () =>
        this.connection.background(() => this.connection.claims.update(this.connection.todos, doc, { reminder_due: { $exists: false } }, { $set: { reminder_due: armed(reminder) } })),
      );
    }
  }

}
