// Rebuilding a store from another store's event log (`todo replay`). The log is checked whole before
// anything is written: a log someone edited (an unknown kind, a position out of order, a version skipped)
// is refused naming the position, and the target stays empty.
import type { ChangeKind, TodoEvent, TodoStore } from "./ports";

const KINDS: readonly ChangeKind[] = ["created", "updated", "deleted", "reminder_due"];

/** The log cannot be replayed as it is; nothing was written. */
export class InvalidLogError extends Error {
  constructor(
    readonly position: number | string,
    reason: string,
  ) {
    super(`the log is not valid at position ${position}: ${reason}; nothing was replayed`);
  }
}

/** The store to rebuild holds todos or events already. */
export class TargetNotEmptyError extends Error {}

/**
 * Checks events in log order against what the log promises (docs/events.md): known kinds, positions
 * increasing, and per todo a history that starts with its creation and whose versions are consecutive (a
 * reminder_due keeps the version it fired at; a todo created again after a delete continues after it).
 */
export class LogValidator {
  private lastPosition = 0;
  /** Each todo's last version, and whether it exists after that event. */
  private readonly todos = new Map<string, { version: number; live: boolean }>();

  check(event: TodoEvent) {
    const { position, kind, todoId, version } = event;
    // A position past 2^53 is named by the integer the store read (String(2 ** 62) would round it).
    const at = Number.isSafeInteger(position) ? position : Number.isInteger(position) ? BigInt(position).toString() : String(position);
    const refuse = (reason: string) => {
      throw new InvalidLogError(at, reason);
    };
    if (!Number.isSafeInteger(position) || position < 1) refuse("a position must be a whole number from 1 up to 2^53 - 1");
    if (position <= this.lastPosition) refuse(`positions must increase, and it follows position ${this.lastPosition}`);
    if (!KINDS.includes(kind)) refuse(`its kind ${JSON.stringify(kind)} is not one of ${KINDS.join(", ")}`);
    if (typeof todoId !== "string" || todoId === "") refuse("it names no todo");
    if (event.todo?.id !== todoId) refuse(`its todo's id ${JSON.stringify(event.todo?.id)} is not the event's todo ${todoId}`);
    if (!Number.isSafeInteger(version) || version < 1) refuse(`its version ${version} is not a whole number from 1`);
    const before = this.todos.get(todoId);
    if (!before) {
      if (kind !== "created") refuse(`todo ${todoId}'s history starts with ${kind}, not created`);
    } else {
      const expected = kind === "reminder_due" ? before.version : before.version + 1;
      if (version !== expected) refuse(`todo ${todoId} is at version ${before.version}, so its ${kind} event must have version ${expected}, not ${version}`);
      if (kind === "created" && before.live) refuse(`todo ${todoId} is created again while it exists`);
      if (kind !== "created" && !before.live) refuse(`todo ${todoId} has a ${kind} event after its delete`);
    }
    this.todos.set(todoId, { version, live: kind !== "deleted" });
    this.lastPosition = position;
  }
}

/**
 * Replays `input`'s log into the empty `output`: first reads the whole log and checks it (InvalidLogError
 * names the first bad event, and nothing is written), then writes it batch by batch, up to the last
 * position checked (a log still growing is replayed as it was when checked). Returns how many events.
 */
export async function replayLog(input: TodoStore, output: TodoStore, options: { batch: number; outputName: string }): Promise<number> {
  if ((await output.headPosition()) > 0 || (await output.search({ tags: [], states: [], order: { field: "create_time", descending: false }, limit: 1 })).todos.length > 0)
    throw new TargetNotEmptyError(`${options.outputName} is not empty: replay rebuilds into an empty store`);
  // Events still on their way into the source's log (MongoDB's pending ones) are part of it.
  await input.settle();
  const checked = new LogValidator();
  let last = 0;
  let count = 0;
  for (let batch = await input.readEvents(0, options.batch); batch.length > 0; batch = await input.readEvents(last, options.batch)) {
    for (const event of batch) checked.check(event);
    last = batch.at(-1)!.position;
    count += batch.length;
  }
  // Written as read again, and checked again: a log that changed in between is refused where it changed.
  const writing = new LogValidator();
  let after = 0;
  while (after < last) {
    const batch = (await input.readEvents(after, options.batch)).filter((event) => event.position <= last);
    if (batch.length === 0) break;
    try {
      for (const event of batch) writing.check(event);
    } catch (e) {
      if (!(e instanceof InvalidLogError)) throw e;
      throw new Error(`${e.message.replace(/; nothing was replayed$/, "")}: the log changed while it was replayed, and the events before position ${e.position} are written; replay again into an empty store`);
    }
    await output.replay(batch);
    after = batch.at(-1)!.position;
  }
  return count;
}
