// The projector: consumes the RabbitMQ stream of todo events (docs/events.md, "The projection") and
// applies it to the query-side model (projection-model.ts). A component (start, drain, stop), as the
// daemon's are.
//
// - Resumes from the offset stored with the last applied batch (`x-stream-offset`); RabbitMQ delivers a
//   stream from the start of the chunk holding that offset, so messages below it are passed over.
// - Manual acks within a prefetch window: a batch is acked once its transaction (with the next offset)
//   committed. Acks only give the broker credit; where to resume is the stored offset, never the broker.
// - When RabbitMQ goes away (or refuses, or cancels the consumer), messages not yet applied are dropped
//   and it connects again with capped backoff, resuming from the stored offset.
// - A projection that stops moving while its connection looks alive is treated the same: when nothing
//   was applied for `stallMs` and the stream holds messages from the next offset on (a broker that
//   stopped delivering, a batch that never got applied), it connects again and resumes.
// - A message that is not a todo event is recorded in the model's `rejected` table with its offset and
//   the reason, logged as a warning, and passed over: the stream is the producer's, and one bad message
//   must not stop the projection of the rest.
// - drain(): stops consuming, applies what was received, stores the offset, closes the connection.
//
// The broker is behind a StreamEdge (amqp-stream.ts on RabbitMQ): this file is the projector's logic only.
import type { TodoEvent } from "../todos/ports";
import { Backoff } from "./backoff";
import type { ProjectionModel, StreamItem } from "./projection-model";
import type { ConsumerSession, IncomingMessage, StartOffset, StreamEdge } from "./stream-edge";

export type { StartOffset } from "./stream-edge";

export interface ProjectorLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>, error?: unknown): void;
  error(message: string, fields?: Record<string, unknown>, error?: unknown): void;
}

export interface ProjectorOptions {
  /** The stream to consume. */
  edge: StreamEdge;
  model: ProjectionModel;
  /** The stream's message format (src/wire/event-message.ts, passed in). */
  decode: (body: Uint8Array, contentType: string) => TodoEvent;
  from: StartOffset;
  log: ProjectorLog;
  /** Unacknowledged messages RabbitMQ may send ahead. */
  prefetch?: number;
  /** Messages applied per transaction at most (at most prefetch). */
  batch?: number;
  /** How long a partial batch waits for more messages before it is applied. */
  flushMs?: number;
  backoffMs?: { initial: number; max: number };
  /** How long an offset standing still, while the stream holds more, means the projection is stuck. */
  stallMs?: number;
}

/**
 * One stream message as the model takes it: its event, or the reason it is not one. Whatever the
 * decoder throws (it is the producer's message, of any shape) makes a rejection, never a failure.
 */
export function toStreamItem(
  decode: ProjectorOptions["decode"],
  offset: number,
  body: Uint8Array,
  contentType: string,
  messageId?: string,
): StreamItem {
  try {
    return { offset, event: decode(body, contentType) };
  } catch (e) {
    return { offset, rejected: { reason: (e as Error)?.message ?? String(e), messageId: typeof messageId === "string" ? messageId : undefined, contentType } };
  }
}

interface Received {
  item: StreamItem;
  message: IncomingMessage;
}

export class Projector {
  readonly name = "projection";
  /** Counters of this run, for metrics; the model holds the totals. */
  applied = 0;
  duplicates = 0;
  rejected = 0;
  /** The stream offset to resume from: the next message not yet applied. */
  offset: number;
  connected = false;

  private readonly prefetch: number;
  private readonly batch: number;
  private readonly flushMs: number;
  private readonly backoff: Backoff;
  private readonly stallMs: number;
  private readonly stream: string;
  private stallWatch?: Timer;
  private session?: ConsumerSession;
  /** Messages received, not yet applied. */
  private buffer: Received[] = [];
  private flushTimer?: Timer;
  /** Messages below this offset were applied (or are before where we started): passed over. */
  private floor: number | null;
  /** The offset the next message should have; a larger one means the stream no longer holds those between. */
  private expected: number | null = null;
  private stopping = false;
  private wakeSleep?: () => void;
  private running?: Promise<void>;
  private failure?: Error;

  constructor(private readonly options: ProjectorOptions) {
    this.prefetch = options.prefetch ?? 500;
    this.batch = Math.min(options.batch ?? 250, this.prefetch);
    this.flushMs = options.flushMs ?? 25;
    this.backoff = new Backoff(options.backoffMs ?? { initial: 250, max: 10_000 });
    this.stream = options.edge.stream;
    // RabbitMQ refreshes a stream's message count every few seconds: well above that.
    this.stallMs = options.stallMs ?? 20_000;
    const stored = options.model.resumeOffset();
    this.floor = stored ?? (typeof options.from === "number" ? options.from : null);
    this.offset = this.floor ?? 0;
  }

  /** Starts consuming in the background: RabbitMQ being away at start is waited out, like later. */
  async start(): Promise<void> {
    this.options.model.claimStream(this.stream);
    this.running = this.run();
  }

  /** Resolves when the projector has stopped; rejects when it stopped because the model could not be written. */
  async done(): Promise<void> {
    await this.running;
    if (this.failure) throw this.failure;
  }

  async drain(): Promise<void> {
    this.stopping = true;
    this.wakeSleep?.();
    const session = this.session;
    if (session) {
      try {
        // Deliveries sent before the cancel is answered arrive before its answer: they are in the buffer then.
        await session.cancel();
      } catch {}
    }
    this.flush();
    await session?.close();
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSleep?.();
    clearTimeout(this.flushTimer);
    await this.session?.close();
    await this.running;
  }

  private async run(): Promise<void> {
    const { log, edge } = this.options;
    const stream = this.stream;
    let lastProblem: string | null = null;
    while (!this.stopping) {
      try {
        const { closed } = await this.connect();
        if (lastProblem !== null) log.info("projection connected to RabbitMQ again", { stream, offset: this.offset });
        lastProblem = null;
        this.backoff.reset();
        const reason = await closed;
        clearInterval(this.stallWatch);
        if (this.stopping) break;
        throw reason;
      } catch (e) {
        this.disconnected();
        if (this.stopping) break;
        // The URL's password never reaches a log, should a library's message quote the URL.
        const problem = edge.scrub((e as Error)?.message ?? String(e));
        // One warning per outage; how its cause changes while it lasts (refused, reset, timed out) is detail.
        if (lastProblem === null) log.warn(`projection cannot consume ${edge.where}: ${problem}; retrying with backoff up to ${this.backoff.max / 1000}s`, { stream, offset: this.offset });
        else if (problem !== lastProblem) log.debug(`projection still cannot consume ${edge.where}: ${problem}`, { stream });
        lastProblem = problem;
        await this.sleep(this.backoff.next());
      }
    }
  }

  /** Connects and consumes; `closed` settles (with the reason) when the connection ends. */
  private async connect(): Promise<{ closed: Promise<Error> }> {
    const { edge, log } = this.options;
    const from: StartOffset = this.floor ?? this.options.from;
    // Deliveries can come before the consumer is confirmed: set what they are checked against first.
    this.expected = this.floor;
    const session = await edge.openConsumer({ from, prefetch: this.prefetch, receive: (message) => this.receive(message) });
    this.session = session;
    if (this.stopping) {
      await session.close();
      return { closed: session.closed };
    }
    this.connected = true;
    this.watchForStall(session);
    log.info("projection consuming", { stream: this.stream, from, where: edge.where });
    return { closed: session.closed };
  }

  /**
   * Checks, while the offset stands still, whether the stream holds messages from it on (its message
   * count is at most its last offset + 1, so a count above the offset means one is there to apply).
   */
  private watchForStall(session: ConsumerSession): void {
    const { log } = this.options;
    const stream = this.stream;
    let seen = this.offset;
    let stillSince = performance.now();
    let checking = false;
    this.stallWatch = setInterval(async () => {
      if (this.offset !== seen) {
        seen = this.offset;
        stillSince = performance.now();
        return;
      }
      // Started at "next" with nothing applied yet: the offset says nothing about where the stream is.
      const known = this.floor !== null || this.options.from === "first";
      if (checking || !known || performance.now() - stillSince < this.stallMs) return;
      checking = true;
      let reason: Error;
      try {
        const messageCount = await session.messageCount();
        if (messageCount <= seen || this.offset !== seen || session !== this.session) return;
        log.debug("projection stream holds more than was applied", { stream, messageCount, offset: seen });
        reason = new Error(`nothing was applied for ${Math.round(this.stallMs / 1000)} s though the stream holds messages from offset ${seen} on`);
      } catch (e) {
        reason = e as Error;
      } finally {
        checking = false;
      }
      if (session === this.session) void session.close(reason);
    }, Math.max(250, Math.floor(this.stallMs / 4)));
  }

  private disconnected(): void {
    clearInterval(this.stallWatch);
    clearTimeout(this.flushTimer);
    // Cleared and forgotten: receive() schedules a flush only when none is set, and a stale one here
    // left every later partial batch unapplied (the projection stood still until a full batch came).
    this.flushTimer = undefined;
    // Not applied, not acked: consumed again from the stored offset after reconnecting.
    this.buffer = [];
    this.connected = false;
    void this.session?.close();
    this.session = undefined;
  }

  private receive(message: IncomingMessage | null): void {
    const stream = this.stream;
    if (message === null) {
      // The broker cancelled the consumer (the stream was deleted): connect again and declare it.
      this.options.log.warn("projection consumer cancelled by RabbitMQ", { stream });
      void this.session?.close(new Error("RabbitMQ cancelled the consumer"));
      return;
    }
    const offset = message.offset;
    if (offset === undefined) {
      this.fail(new Error(`a message from ${stream} has no x-stream-offset header: is it a stream queue?`));
      return;
    }
    if (this.floor !== null && offset < this.floor) {
      message.ack();
      return;
    }
    if (this.expected !== null && offset > this.expected)
      // Retention (max-age, max-length) removed them before they were applied: say so, they are gone.
      this.options.log.warn(`projection missed offsets ${this.expected} to ${offset - 1} of ${stream}: the stream no longer holds them`, {
        stream,
        offset,
      });
    this.expected = offset + 1;
    this.buffer.push({ item: this.decode(message, offset), message });
    if (this.buffer.length >= this.batch) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  private decode(message: IncomingMessage, offset: number): StreamItem {
    const item = toStreamItem(this.options.decode, offset, message.body, message.contentType, message.messageId);
    if ("rejected" in item) this.options.log.warn(`projection rejected the message at offset ${offset}: ${item.rejected.reason}`, { stream: this.stream, offset, message_id: message.messageId });
    return item;
  }

  /** Applies the buffered messages and their offset in one transaction, then acks them. */
  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.buffer.length === 0) return;
    const received = this.buffer;
    this.buffer = [];
    const next = received.at(-1)!.item.offset + 1;
    try {
      const result = this.options.model.applyBatch(
        received.map((r) => r.item),
        next,
      );
      this.applied += result.applied;
      this.duplicates += result.duplicates;
      this.rejected += result.rejected;
    } catch (e) {
      this.fail(new Error(`cannot write the projection: ${(e as Error).message}`, { cause: e }));
      return;
    }
    this.offset = next;
    this.floor = next;
    // Should the session have ended after the commit, nothing is lost: the stored offset says where to resume.
    received.at(-1)!.message.ack();
  }

  /** Stops for good: a projection that cannot be written must not consume on. */
  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.options.log.error(error.message, { stream: this.stream, offset: this.offset });
    this.stopping = true;
    this.buffer = [];
    this.wakeSleep?.();
    void this.session?.close(error);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
