// The serialized turns of the MongoDB store: this process's writes to one todo, and its removals of
// that todo's sequenced events, run one after another (see `serialized` for why).
import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Calls that gave up on their answer (run(): past their limit) while a serialized write was under way:
 * the write's turn lasts until they end too, as a command still queued at the server may yet apply.
 */
const lingeringCalls = new AsyncLocalStorage<Promise<unknown>[]>();

/** Called by a call that gave up on its answer: the serialized write it runs in (if any) waits for it to end. */
export function lingerInTurn(call: Promise<unknown>): void {
  lingeringCalls.getStore()?.push(call);
}

/** The turns of this process's writes, per todo. */
export class WriteTurns {
  /** The last queued write per todo id (see `serialized`). */
  private readonly writes = new Map<string, Promise<void>>();

  /**
   * Runs this process's writes to one todo (and the removals of its sequenced events) one after
   * another. Real MongoDB does not need this: its updates are atomic, so the {_id, version} filter
   * alone lets exactly one of N concurrent writers win, across any number of daemons. FerretDB 1.x
   * implements an update as a read then a replacement of the document (two writers can both match
   * version n), so without this a single daemon on FerretDB would lose updates; several daemons
   * sharing one FerretDB still can.
   *
   * A write's turn ends when its commands have, not when its caller stopped waiting: a call past its
   * limit leaves its command queued at the server (FerretDB paused, say), and the next write reading
   * the version before that command applies would match it too (the history checker saw one daemon on
   * FerretDB lose an acknowledged update so). That wait is bounded by the driver's socketTimeoutMS,
   * which ends a command that gets no answer.
   */
  serialized<T>(id: string, write: () => Promise<T>): Promise<T> {
    return this.serializedAll([id], write);
  }

  /** `write` after this process's queued writes to every todo of `ids`, and before any queued later (see `serialized`). */
  serializedAll<T>(ids: string[], write: () => Promise<T>): Promise<T> {
    const before = ids.map((id) => this.writes.get(id)).filter((p) => p !== undefined);
    const lingering: Promise<unknown>[] = [];
    const result = (before.length ? Promise.all(before) : Promise.resolve()).then(() => lingeringCalls.run(lingering, write));
    const settled = Promise.allSettled([...before, result]).then(async () => void (await Promise.allSettled(lingering)));
    for (const id of ids) this.writes.set(id, settled);
    void settled.then(() => {
      for (const id of ids) if (this.writes.get(id) === settled) this.writes.delete(id);
    });
    return result;
  }
}
