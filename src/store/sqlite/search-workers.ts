// The search workers: each pattern search runs in a worker thread (search-worker.ts) and is ended by
// terminating that thread when its caller leaves, its deadline passes or it spends its budget. RE2 is
// linear in the text, but one match of a large pattern against a 10 KB description can take most of a
// second: checking rows on the daemon's thread, even in slices, would stall every other call.
import { availableParallelism } from "node:os";
import { CancelledError, SearchBudgetError, UnavailableError } from "../../todos/errors";
import type { SearchPage, SearchQuery, SearchSpending } from "../../todos/ports";
import type { SearchReply, SearchRequest } from "./search-worker";

/**
 * The worker's entry point. In the compiled executable (scripts/build.ts lists it as an entry point)
 * every module is bundled into the executable's root file, and the worker keeps its path from src/.
 */
const WORKER_URL = import.meta.path.startsWith("/$bunfs/")
  ? new URL("./store/sqlite/search-worker.ts", import.meta.url).href
  : new URL("./search-worker.ts", import.meta.url).href;

/** A worker idle this long is ended (it holds a thread and a connection). */
const IDLE_MS = 30_000;

export class SearchWorkers {
  private readonly idle: { worker: Worker; timer: Timer }[] = [];
  /** Each running search's worker, and what ends the search when the store closes. */
  private readonly running = new Map<Worker, () => void>();
  /** Searches running or about to start a worker. */
  private busy = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly size = Math.max(2, availableParallelism());
  private closed = false;
  /** Read the data file as immutable (the store is read-only on a full disk: see disk-full.ts). */
  immutable = false;

  constructor(
    private readonly path: string,
    /** Longest a search may run in its worker, in milliseconds. */
    readonly budgetMs: number,
    /** Turns a failure the worker reports into the store's error. */
    private readonly failure: (error: { message: string; code?: string }) => Error,
  ) {}

  /**
   * Runs a search in a worker: waits for a free one while `size` are busy. With `spending`, the search
   * gets what is left of the budget and adds its time to it (a call's chunks share one budget).
   */
  async run(query: SearchQuery, signal?: AbortSignal, spending: SearchSpending = { ms: 0 }): Promise<SearchPage> {
    const overBudget = () => new SearchBudgetError(this.budgetMs, "a word of 3 or more characters lets the index find candidates");
    if (spending.ms >= this.budgetMs) throw overBudget();
    await this.turn(signal);
    const worker = this.take();
    return new Promise<SearchPage>((resolve, reject) => {
      let ended = false;
      let startedAt: number | undefined;
      const end = (outcome: () => void, keep: boolean) => {
        if (ended) return;
        ended = true;
        clearTimeout(budget);
        if (startedAt !== undefined) spending.ms += performance.now() - startedAt;
        signal?.removeEventListener("abort", abort);
        this.running.delete(worker);
        if (keep && !this.closed) this.park(worker);
        else worker.terminate();
        this.busy--;
        this.waiting.shift()?.();
        outcome();
      };
      this.running.set(worker, () => end(() => reject(new UnavailableError("the store closed during the search; retry on the restarted daemon")), false));
      const abort = () => end(() => reject(cancelled(signal!)), false);
      // The budget counts from the worker's start on the search, not from its own start-up (which a
      // busy machine can make slow).
      let budget: Timer | undefined;
      signal?.addEventListener("abort", abort, { once: true });
      if (signal?.aborted) return abort();
      worker.onmessage = (event: MessageEvent<SearchReply>) => {
        const reply = event.data;
        if ("started" in reply) {
          startedAt = performance.now();
          // Ended by terminating the thread: a budget spent stops the matching, not only the answer.
          budget = setTimeout(() => end(() => reject(overBudget()), false), Math.max(0, this.budgetMs - spending.ms));
        }
        else end(() => ("page" in reply ? resolve(reply.page) : reject(this.failure(reply.error))), true);
      };
      worker.onerror = (event) => end(() => reject(new Error(`a search worker failed: ${event.message}`)), false);
      worker.postMessage({ path: this.path, immutable: this.immutable, query } satisfies SearchRequest);
    });
  }

  /** Resolves when a worker is free; a caller that leaves while waiting is CancelledError. */
  private turn(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled(signal));
    if (this.closed) return Promise.reject(new UnavailableError("the store is closed"));
    if (this.busy < this.size) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const go = () => {
        this.busy++;
        signal?.removeEventListener("abort", leave);
        resolve();
      };
      const leave = () => {
        this.waiting.splice(this.waiting.indexOf(go), 1);
        reject(cancelled(signal!));
      };
      signal?.addEventListener("abort", leave, { once: true });
      this.waiting.push(go);
    });
  }

  private take(): Worker {
    const parked = this.idle.pop();
    if (parked) {
      clearTimeout(parked.timer);
      return parked.worker;
    }
    const worker = new Worker(WORKER_URL);
    // An idle worker must not keep the process alive.
    worker.unref();
    return worker;
  }

  private park(worker: Worker) {
    const timer = setTimeout(() => {
      const i = this.idle.findIndex((p) => p.worker === worker);
      if (i >= 0) this.idle.splice(i, 1);
      worker.terminate();
    }, IDLE_MS);
    timer.unref();
    this.idle.push({ worker, timer });
  }

  close() {
    this.closed = true;
    for (const { worker, timer } of this.idle.splice(0)) {
      clearTimeout(timer);
      worker.terminate();
    }
    for (const end of [...this.running.values()]) end();
  }
}

function cancelled(signal: AbortSignal): CancelledError {
  return signal.reason instanceof CancelledError ? signal.reason : new CancelledError(false);
}
