// Follows the event log's head for watchers. Each watcher reads the log itself from its own position
// (so a slow one holds no memory here); the tail only tells them when the head moves: at once after
// this process writes (on MongoDB, once its sequencing has put the write's event into the log), and by
// polling for writes other daemons make to a shared MongoDB. On drain every
// watch ends with UNAVAILABLE naming the position to resume after.
import { checkCancelled } from "../todos/context";
import { UnavailableError } from "../todos/errors";
import type { EventFeed, EventLog, TodoEvent } from "../todos/ports";

export interface LogTailOptions {
  /** How often to look for other daemons' writes. */
  pollMs: number;
  /** Events a watcher reads from the store at a time. */
  batch: number;
}

export class LogTail implements EventFeed {
  readonly name = "log-tail";
  /** The highest position seen; watchers at it wait for the next. */
  head = 0;
  /** Watches open now. */
  watchers = 0;
  /** Events this process appended (writes it made). */
  appended = 0;
  private readonly waiting = new Set<() => void>();
  private readonly closing = new AbortController();
  private timer?: Timer;
  private polling: Promise<void> | null = null;
  private pollAgain = false;
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly log: EventLog,
    private readonly options: LogTailOptions = { pollMs: 250, batch: 256 },
    private readonly warn: (message: string) => void = () => {},
  ) {}

  async start(): Promise<void> {
    // A store that logs a write's event later says when it did: no read of the head after each write.
    this.unsubscribe = this.log.onHeadMoved?.((head) => this.saw(head)) ?? (() => {});
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
  }

  /** Ends every watch (each names where to resume), so the gRPC drain is not held by open streams. */
  async drain(): Promise<void> {
    this.closing.abort();
    this.wake();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe();
    this.closing.abort();
    this.wake();
  }

  written(): void {
    this.appended++;
    if (!this.log.onHeadMoved) void this.poll();
  }

  private saw(head: number) {
    if (head <= this.head) return;
    this.head = head;
    this.wake();
  }

  /** Reads the head; one read at a time, and one more if asked for while it ran. */
  private poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return this.polling;
    }
    this.polling = (async () => {
      do {
        this.pollAgain = false;
        try {
          this.saw(await this.log.headPosition());
        } catch (e) {
          // The store is away: readiness reports it; watchers wait for it to return.
          if (!(e instanceof UnavailableError)) this.warn(`cannot read the event log's head: ${(e as Error).message}`);
        }
      } while (this.pollAgain);
      this.polling = null;
    })();
    return this.polling;
  }

  private wake() {
    for (const resolve of this.waiting) resolve();
    this.waiting.clear();
  }

  /** Resolves once the head passes `position`, the feed closes, or `signal` aborts (which wakes every waiter). */
  private async passed(position: number, signal: AbortSignal): Promise<void> {
    while (this.head <= position && !this.closing.signal.aborted && !signal.aborted) await new Promise<void>((resolve) => this.waiting.add(resolve));
  }

  async *follow(after: number, matches: (event: TodoEvent) => boolean, signal: AbortSignal): AsyncIterable<TodoEvent> {
    this.watchers++;
    const wake = () => this.wake();
    signal.addEventListener("abort", wake, { once: true });
    try {
      let position = after;
      for (;;) {
        if (this.closing.signal.aborted) throw new UnavailableError(`todod is shutting down; resume the watch after position ${position}`);
        checkCancelled(signal);
        const events = await this.log.readEvents(position, this.options.batch);
        for (const event of events) {
          position = event.position;
          if (matches(event)) yield event;
        }
        if (events.length < this.options.batch) await this.passed(position, signal);
      }
    } finally {
      signal.removeEventListener("abort", wake);
      this.watchers--;
    }
  }
}
