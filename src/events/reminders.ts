// Fires reminders as they come due (docs/events.md, "Reminders"). The store arbitrates: each armed
// reminder fires once however many daemons ask (test/contracts/log-contract.ts). This component only decides
// when to ask: at the soonest reminder due, and at least every `pollMs`, so a reminder another daemon
// armed (or this one: the writes do not tell it) is seen within that bound.
import { UnavailableError } from "../todos/errors";
import type { Change, EventFeed, ReminderStore } from "../todos/ports";

export interface RemindersOptions {
  /** Longest wait between two looks at the store. */
  pollMs: number;
  /** Reminders fired per store call; a pass calls again while calls come back full. */
  batch: number;
  /** Longest wait between looks while the store fails (the wait doubles from pollMs). */
  maxBackoffMs: number;
}

/** The backoff stays short: a look costs one query, and every second of it makes reminders late. */
export const REMINDER_DEFAULTS: RemindersOptions = { pollMs: 1000, batch: 100, maxBackoffMs: 5_000 };

export class Reminders {
  readonly name = "reminders";
  private timer?: Timer;
  private pass: Promise<void> | null = null;
  private stopped = false;
  private failing = false;
  private delayMs: number;

  constructor(
    private readonly store: ReminderStore,
    /** Told of each event appended, so watchers see it at once. */
    private readonly feed: EventFeed,
    /** Told of each reminder this daemon fired (metrics). */
    private readonly fired: (change: Change) => void = () => {},
    private readonly warn: (message: string) => void = () => {},
    private readonly options: RemindersOptions = REMINDER_DEFAULTS,
  ) {
    this.delayMs = options.pollMs;
  }

  async start(): Promise<void> {
    this.schedule(0);
  }

  /** Fires no more; a pass under way finishes (each of its store calls is bounded by the store). */
  async drain(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  async stop(): Promise<void> {
    await this.drain();
  }

  private schedule(delayMs: number) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.pass = this.fireDue().finally(() => (this.pass = null));
    }, delayMs);
  }

  /** Fires what is due, then waits for the next reminder due or the poll, whichever is sooner. */
  private async fireDue(): Promise<void> {
    try {
      // One query on a look that finds nothing due, as most do (on FerretDB each is a scan).
      let next = await this.store.nextReminderDue();
      while (next !== null && next <= Date.now() && !this.stopped) {
        const changes = await this.store.fireDueReminders(Date.now(), this.options.batch);
        for (const change of changes) {
          this.feed.written();
          this.fired(change);
        }
        next = await this.store.nextReminderDue();
        // Due but not fired here: another daemon is firing it, or a write to its todo came first.
        if (!changes.length) break;
      }
      this.failing = false;
      this.delayMs = this.options.pollMs;
      // Still due after a look that fired nothing: look again at the next poll rather than at once.
      this.schedule(next === null || next <= Date.now() ? this.options.pollMs : Math.min(this.options.pollMs, next - Date.now()));
    } catch (e) {
      // While the store is away readiness says so; reminders wait in it, armed, and fire late.
      if (!this.failing && !(e instanceof UnavailableError && this.stopped)) this.warn(`cannot fire reminders now (they stay armed; retrying): ${(e as Error).message}`);
      this.failing = true;
      this.schedule(this.delayMs);
      this.delayMs = Math.min(this.delayMs * 2, this.options.maxBackoffMs);
    }
  }
}
