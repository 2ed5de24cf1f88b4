// The relay: publishes the event log to a RabbitMQ stream, in position order, with publisher confirms,
// and records the last position the broker confirmed (the checkpoint) in the todo store, so a restart,
// or another daemon, resumes from there: at-least-once, no gaps, duplicates possible.
//
// One daemon at a time relays: a lease in the store (ports.ts: Leases) names the holder, renewed every
// third of its lifetime. A holder stops publishing as soon as it knows it lost the lease (a renew or a
// checkpoint write refused) and, without news, once its lease is two thirds gone by its own clock
// (a renew it could not make): the last third is the allowance for clock skew between daemons
// (docs/events.md). Another daemon takes an expired lease and starts from the stored checkpoint.
//
// The broker being away never stops writes (the log is the source of truth): the relay retries with a
// capped backoff, warns at most every 30 s how far behind it is, and metrics report the lag.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import type { EventLog, Leases, TodoEvent } from "../todos/ports";
import { answerWithin } from "./answer-within";

/** One event as a message: the daemon passes the encoder in (src/wire/event-message.ts). */
export interface OutgoingMessage {
  body: Buffer;
  contentType: string;
  type: string;
  messageId: string;
  timestamp: number;
  headers: Record<string, unknown>;
}

export interface RelayOptions {
  /** amqp:// or amqps:// URL of the broker; may hold a password, so only `brokerName` is ever shown. */
  url: string;
  /** The URL without its password, for logs. */
  brokerName: string;
  /** Removes the URL's secrets from a message the client library wrote. */
  scrub: (text: string) => string;
  stream: string;
  encode: (event: TodoEvent) => OutgoingMessage;
  /** Lease lifetime; renewed every third of it. */
  leaseMs?: number;
  /** Events read from the log at a time. */
  batch?: number;
  /** Most messages published and not yet confirmed. */
  window?: number;
  /** How often an idle relay looks for new events. */
  pollMs?: number;
  /** First and longest wait between attempts while the broker or the store fails. */
  backoffMs?: { initial: number; max: number };
  /** A confirm that takes longer than this means the connection is dead (a partition): reconnect. */
  confirmTimeoutMs?: number;
  /** How long opening the channel and declaring the stream may take, each time. */
  answerMs?: number;
}

export interface RelayStatus {
  holdsLease: boolean;
  /** The last position the broker confirmed (this daemon's, or the stored checkpoint when another holds the lease). */
  confirmed: number;
  head: number;
  /** Age of the oldest event not yet confirmed, 0 when none waits. */
  lagSeconds: number;
}

interface InFlight {
  position: number;
  confirmed: boolean;
  /** When the relay first saw it waiting at the head of the window (performance.now()). */
  waitingSince?: number;
}

/** The connection's session: messages published on it, dropped whole when it fails. */
interface Session {
  connection: ChannelModel;
  channel: ConfirmChannel;
  inFlight: InFlight[];
  failure: Error | null;
}

const WARN_EVERY_MS = 30_000;

/** What a warning is about: RabbitMQ (unreachable, refusing, blocking), or the store that holds the lease. */
type ProblemSubject = "broker" | "store";

export class Relay {
  readonly name = "relay";
  /** This daemon's id in the lease. */
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** Messages the broker confirmed to this daemon. */
  published = 0;
  private readonly leaseName: string;
  private readonly leaseMs: number;
  private readonly batch: number;
  private readonly window: number;
  private readonly pollMs: number;
  private readonly backoff: { initial: number; max: number };
  private readonly confirmTimeoutMs: number;
  private readonly answerMs: number;

  /** Until when (performance.now()) this daemon may publish: 0 when it does not hold the lease. */
  private heldUntil = 0;
  /** The last position confirmed in order; every position up to it is in the stream. */
  private confirmed = 0;
  /** The last position published (confirmed or not). */
  private sent = 0;
  /** The checkpoint as stored, and a write of it under way. */
  private stored = 0;
  private storing: Promise<void> | null = null;
  private session: Session | null = null;
  private stopping = false;
  private running: Promise<void> | null = null;
  private renewTimer?: Timer;
  private wakeUp: (() => void) | null = null;
  /**
   * When each kind of problem was last warned of (performance.now()). Every warning about one subject
   * shares one throttle, whatever its text: the retry delay and the cause (refused, reset, timed out)
   * change from one attempt to the next, and a throttle per text warned at each backoff step (6 times
   * in 33 s with RabbitMQ unreachable).
   */
  private readonly lastWarning: Record<ProblemSubject, number> = { broker: -Infinity, store: -Infinity };
  /** A problem was reported and nothing has worked since: `relay publishing again` is due when something does. */
  private troubled = false;
  private lagCache = { position: -1, seconds: 0 };

  constructor(
    private readonly log: EventLog,
    private readonly leases: Leases,
    private readonly options: RelayOptions,
    private readonly logger: {
      info(message: string, fields?: object): void;
      warn(message: string, fields?: object): void;
    },
  ) {
    this.leaseName = `relay:${options.stream}`;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.batch = options.batch ?? 256;
    this.window = options.window ?? 512;
    this.pollMs = options.pollMs ?? 250;
    this.backoff = options.backoffMs ?? { initial: 500, max: 10_000 };
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 30_000;
    this.answerMs = options.answerMs ?? 15_000;
  }

  /** Starts relaying in the background: a broker or store that is away does not hold up the daemon. */
  async start(): Promise<void> {
    this.running = this.run();
    this.renewTimer = setInterval(() => void this.renew(), Math.floor(this.leaseMs / 3));
  }

  /** Stops publishing, waits briefly for outstanding confirms, records them, and hands the lease on. */
  async drain(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
    await this.settleSession(Math.min(2_000, this.confirmTimeoutMs));
    await this.closeSession();
    if (this.holds()) {
      await this.storeCheckpoint().catch(() => {});
      await this.leases.release(this.leaseName, this.holder).catch(() => {});
      this.heldUntil = 0;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.renewTimer);
    this.wake();
    await this.running;
    await this.closeSession();
  }

  /** What the metrics report. */
  async status(): Promise<RelayStatus> {
    const holdsLease = this.holds();
    let confirmed = this.confirmed;
    let head = confirmed;
    try {
      if (!holdsLease) confirmed = (await this.leases.read(this.leaseName))?.checkpoint ?? 0;
      head = Math.max(confirmed, await this.log.headPosition());
    } catch {
      // The store is away: readiness says so; report what is known.
    }
    return {
      holdsLease,
      confirmed,
      head,
      lagSeconds: await this.lagSeconds(confirmed, head),
    };
  }

  private async lagSeconds(confirmed: number, head: number): Promise<number> {
    if (head <= confirmed) return 0;
    // The oldest unpublished event's time, read once per position.
    if (this.lagCache.position !== confirmed + 1) {
      try {
        const [oldest] = await this.log.readEvents(confirmed, 1);
        if (oldest)
          this.lagCache = {
            position: oldest.position,
            seconds: oldest.time / 1000,
          };
      } catch {
        return 0;
      }
    }
    return this.lagCache.position === confirmed + 1 ? Math.max(0, Date.now() / 1000 - this.lagCache.seconds) : 0;
  }

  private holds(): boolean {
    return performance.now() < this.heldUntil;
  }

  private wake() {
    this.wakeUp?.();
  }

  /** Waits `ms`, or less if woken (a confirm, a stop). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async run(): Promise<void> {
    let backoff = this.backoff.initial;
    while (!this.stopping) {
      try {
        if (!this.holds()) {
          await this.closeSession();
          if (!(await this.acquire())) {
            await this.pause(Math.floor(this.leaseMs / 3));
            continue;
          }
        }
        const session = this.session ?? (await this.openSession());
        if (session.failure) throw session.failure;
        this.checkConfirmsFlowing(session);
        if (session.inFlight.length >= this.window) {
          await this.pause(this.pollMs);
          continue;
        }
        const events = await this.log.readEvents(this.sent, Math.min(this.batch, this.window - session.inFlight.length));
        for (const event of events) {
          if (this.stopping || !this.holds() || session.failure) break;
          // The window bounds what amqplib buffers, so its write buffer's backpressure is not needed.
          this.publish(session, event);
        }
        if (events.length === 0) await this.pause(this.pollMs);
        backoff = this.backoff.initial;
        this.recovered();
      } catch (e) {
        await this.closeSession();
        this.failed(e as Error, backoff);
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, this.backoff.max);
      }
    }
  }

  /** Takes the lease if it is free: resumes after the stored checkpoint. */
  private async acquire(): Promise<boolean> {
    const began = performance.now();
    const taken = await this.leases.acquire(this.leaseName, this.holder, this.leaseMs);
    if (!taken) return false;
    this.heldUntil = began + (this.leaseMs * 2) / 3;
    this.confirmed = this.sent = this.stored = taken.checkpoint;
    this.logger.info("relay holds the lease: publishing the event log", {
      stream: this.options.stream,
      broker: this.options.brokerName,
      after: taken.checkpoint,
      holder: this.holder,
    });
    return true;
  }

  private async renew(): Promise<void> {
    if (this.heldUntil === 0 || this.stopping) return;
    const began = performance.now();
    try {
      if (await this.leases.renew(this.leaseName, this.holder, this.leaseMs)) {
        if (this.heldUntil !== 0) this.heldUntil = began + (this.leaseMs * 2) / 3;
        if (this.confirmed > this.stored) await this.storeCheckpoint();
      } else this.lost("another daemon took the relay lease");
    } catch (e) {
      // The store is away: keep publishing until the lease runs out by this daemon's clock.
      this.report(`cannot renew the relay lease: ${this.options.scrub((e as Error).message)}`, "store");
    }
  }

  private lost(reason: string) {
    if (this.heldUntil === 0) return;
    this.heldUntil = 0;
    this.logger.warn(`relay stopped publishing: ${reason}`, {
      stream: this.options.stream,
      confirmed: this.confirmed,
    });
    this.wake();
  }

  private async openSession(): Promise<Session> {
    const connection = await amqp.connect(this.options.url, {
      timeout: 10_000,
      clientProperties: { connection_name: `todod relay ${this.holder}` },
    });
    const session: Session = {
      connection,
      channel: undefined as unknown as ConfirmChannel,
      inFlight: [],
      failure: null,
    };
    const fail = (error: Error) => {
      session.failure ??= error;
      this.wake();
    };
    connection.on("error", fail);
    connection.on("close", () => fail(new Error("the connection to RabbitMQ closed")));
    connection.on("blocked", (reason: string) => this.report(`RabbitMQ blocks publishing (${reason})`));
    const declaring = (async () => {
      session.channel = await connection.createConfirmChannel();
      session.channel.on("error", fail);
      session.channel.on("close", () => fail(new Error("the channel to RabbitMQ closed")));
      await session.channel.assertQueue(this.options.stream, {
        durable: true,
        arguments: { "x-queue-type": "stream" },
      });
    })();
    try {
      await answerWithin(declaring, this.answerMs, `declaring ${this.options.stream}`);
    } catch (e) {
      await connection.close().catch(() => {});
      throw e;
    }
    // What was sent on an earlier connection and not confirmed is sent again.
    this.sent = this.confirmed;
    this.session = session;
    return session;
  }

  private publish(session: Session, event: TodoEvent) {
    const message = this.options.encode(event);
    const entry: InFlight = { position: event.position, confirmed: false };
    session.inFlight.push(entry);
    this.sent = event.position;
    session.channel.publish(
      "",
      this.options.stream,
      message.body,
      {
        persistent: true,
        contentType: message.contentType,
        type: message.type,
        messageId: message.messageId,
        timestamp: message.timestamp,
        headers: message.headers,
      },
      (error) => {
        if (session !== this.session) return;
        if (error) {
          session.failure ??= new Error(`RabbitMQ did not confirm position ${event.position} (${String(error?.message ?? error)})`);
          this.wake();
          return;
        }
        entry.confirmed = true;
        this.advance(session);
      },
    );
  }

  /** Moves the checkpoint over the confirmed prefix of what is in flight. */
  private advance(session: Session) {
    let moved = false;
    while (session.inFlight[0]?.confirmed) {
      this.confirmed = session.inFlight.shift()!.position;
      this.published++;
      moved = true;
    }
    if (moved) {
      void this.storeCheckpoint().catch(() => {});
      this.wake();
    }
  }

  /** Writes the confirmed position to the lease; one write at a time, the latest position each time. */
  private storeCheckpoint(): Promise<void> {
    if (this.storing) return this.storing;
    this.storing = (async () => {
      try {
        while (this.confirmed > this.stored && this.heldUntil !== 0) {
          const position = this.confirmed;
          if (!(await this.leases.checkpoint(this.leaseName, this.holder, position))) return this.lost("another daemon took the relay lease");
          this.stored = position;
        }
      } finally {
        this.storing = null;
      }
    })();
    return this.storing;
  }

  /** A connection that stops confirming (a partition, a broker stalled) is as good as closed. */
  private checkConfirmsFlowing(session: Session) {
    const oldest = session.inFlight[0];
    if (!oldest) return;
    oldest.waitingSince ??= performance.now();
    if (performance.now() - oldest.waitingSince > this.confirmTimeoutMs)
      throw new Error(`RabbitMQ has not confirmed position ${oldest.position} for ${Math.round(this.confirmTimeoutMs / 1000)} s`);
  }

  /** Waits up to `ms` for what is in flight to be confirmed. */
  private async settleSession(ms: number) {
    const deadline = performance.now() + ms;
    while (this.session && this.session.inFlight.length > 0 && !this.session.failure && performance.now() < deadline) await this.pause(20);
  }

  private async closeSession() {
    const session = this.session;
    if (!session) return;
    this.session = null;
    this.sent = this.confirmed;
    await session.connection.close().catch(() => {});
  }

  private failed(error: Error, retryMs: number) {
    this.report(`cannot publish to RabbitMQ at ${this.options.brokerName}: ${this.options.scrub(error.message || String(error))}; retrying in ${(retryMs / 1000).toFixed(1)} s`);
  }

  /** Warns when a problem starts, then at most every 30 s per subject, saying how far behind the stream is. */
  private report(problem: string, subject: ProblemSubject = "broker") {
    const now = performance.now();
    this.troubled = true;
    if (now - this.lastWarning[subject] < WARN_EVERY_MS) return;
    this.lastWarning[subject] = now;
    void this.status().then((s) =>
      this.logger.warn(problem, {
        stream: this.options.stream,
        confirmed: s.confirmed,
        head: s.head,
        lagPositions: s.head - s.confirmed,
        lagSeconds: Math.round(s.lagSeconds),
      }),
    );
  }

  private recovered() {
    if (!this.troubled) return;
    this.troubled = false;
    this.logger.info("relay publishing again", {
      stream: this.options.stream,
      broker: this.options.brokerName,
      confirmed: this.confirmed,
    });
  }
}
