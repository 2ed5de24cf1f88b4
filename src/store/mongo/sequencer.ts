// When the MongoDB store sequences pending events (the protocol: docs/events.md, "The MongoDB write
// protocol"): soon after each write of this process, on a timer for what a crashed daemon left, and on
// flush(). Passes run one at a time; what is asked while one runs is batched into the next. The store
// does the work (`pass`, sequencing.ts); this only decides when, and keeps an outage from crashing the
// process or flooding its log.

/** What one pass sequences. */
export interface Work {
  /** Todos this process wrote since the last pass. */
  ids: string[];
  /**
   * Also every todo with pending events: "stale" only those with an event older than the grace period
   * (younger ones are their writer's to sequence), "all" every one.
   */
  sweep: "none" | "stale" | "all";
  /** Also give the documents of earlier releases their first event. */
  upgrade: boolean;
}

export interface SequencerOptions {
  /** Resolves with how many documents with pending events its sweep found (none: as if some). */
  pass(work: Work): Promise<number | void>;
  /** Between timer sweeps while passes succeed and find something. */
  intervalMS: number;
  /**
   * Longest wait between timer sweeps while they succeed and find nothing (the wait doubles from
   * intervalMS): a sweep on FerretDB reads the whole collection, which an idle daemon should not do
   * every intervalMS.
   */
  maxIdleMS?: number;
  /** Longest wait between timer sweeps while they fail (the wait doubles from intervalMS). */
  maxBackoffMS: number;
  /** How often a timer sweep includes the upgrade; the first one always does. */
  upgradeEveryMS: number;
  /** Told once when passes start failing (again), with the first error. */
  failing(error: unknown): void;
}

export class Sequencer {
  private readonly ids = new Set<string>();
  private sweep: Work["sweep"] = "none";
  private upgrade = false;
  /** The next pass, not started yet: requests made now join it. */
  private next: Promise<void> | null = null;
  /** The last pass scheduled, settled: it never rejects. */
  private tail: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delayMS: number;
  /** When a timer sweep next includes the upgrade (0: the first one). */
  private upgradeDue = 0;
  private failed = false;
  private stopped = false;
  /** Whether the last pass with a sweep found pending events (or could not tell). */
  private found = true;

  constructor(private readonly options: SequencerOptions) {
    this.delayMS = options.intervalMS;
  }

  /** After a write to todo `id`: a pass soon. The write does not wait for it. */
  written(id: string): void {
    if (this.stopped) return;
    this.ids.add(id);
    void this.schedule();
  }

  /**
   * Resolves once a pass that starts after this call is done: every event written before it, and every
   * pending event it finds, is then in the log. Rejects if that pass fails.
   */
  flush(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error("the store is closed"));
    this.sweep = "all";
    this.upgrade = true;
    return this.schedule();
  }

  /** Sweeps now, then every intervalMS, backing off while sweeps fail. The timer keeps no process alive. */
  start(): void {
    this.tick(0);
  }

  /** Schedules no more passes; resolves once the current one, and one already scheduled, are over. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tail;
  }

  private tick(delayMS: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      if (this.sweep === "none") this.sweep = "stale";
      if (Date.now() >= this.upgradeDue) this.upgrade = true;
      const next = (ok: boolean) => {
        const { intervalMS, maxBackoffMS, maxIdleMS = intervalMS } = this.options;
        if (!ok) this.delayMS = Math.min(this.delayMS * 2, maxBackoffMS);
        else this.delayMS = this.found ? intervalMS : Math.min(Math.max(this.delayMS, intervalMS) * 2, maxIdleMS);
        this.tick(this.delayMS);
      };
      this.schedule().then(
        () => next(true),
        () => next(false),
      );
    }, delayMS);
    this.timer.unref();
  }

  private schedule(): Promise<void> {
    if (this.next) return this.next;
    const pass = this.tail.then(async () => {
      this.next = null;
      const work: Work = { ids: [...this.ids], sweep: this.sweep, upgrade: this.upgrade };
      this.ids.clear();
      this.sweep = "none";
      this.upgrade = false;
      if (!work.ids.length && work.sweep === "none" && !work.upgrade) return;
      try {
        const found = await this.options.pass(work);
        if (work.sweep !== "none") this.found = found === undefined || found > 0;
      } catch (e) {
        for (const id of work.ids) this.ids.add(id); // for the next pass (the timer's, if no write comes)
        throw e;
      }
      if (work.upgrade) this.upgradeDue = Date.now() + this.options.upgradeEveryMS;
    });
    this.next = pass;
    this.tail = pass.then(
      () => void (this.failed = false),
      (e) => {
        if (!this.failed && !this.stopped) this.options.failing(e);
        this.failed = true;
      },
    );
    return pass;
  }
}
