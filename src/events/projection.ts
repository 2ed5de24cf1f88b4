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
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from "amqplib";
import type { TodoEvent } from "../todos/ports";
import { answerWithin } from "./answer-within";
import { redactUrl, scrub } from "../secrets/redact";
import type { ProjectionModel, StreamItem } from "./projection-model";

/** Where a projection without a stored offset starts: the whole stream, only new messages, or an offset. */
export type StartOffset = "first" | "next" | number;

export interface ProjectorLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>, error?: unknown): void;
  error(message: string, fields?: Record<string, unknown>, error?: unknown): void;
}

export interface ProjectorOptions {
  url: string;
  stream: string;
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
  /** How long opening the channel, declaring the stream and starting the consumer may take, each time. */
  answerMs?: number;
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

/** The stream's declaration, exactly as the relay makes it: any other argument fails one side's declare. */
export const STREAM_QUEUE_OPTIONS = { durable: true, arguments: { "x-queue-type": "stream" } } as const;

interface Received {
  item: StreamItem;
  message: ConsumeMessage;
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
  private readonly backoff: { initial: number; max: number };
  private readonly answerMs: number;
  private readonly stallMs: number;
  private stallWatch?: Timer;
  /** Why this projector closed the connection itself, for the warning that follows. */
  private closeReason?: Error;
  private connection?: ChannelModel;
  private channel?: Channel;
  private consumerTag?: string;
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
    this.backoff = options.backoffMs ?? { initial: 250, max: 10_000 };
    this.answerMs = options.answerMs ?? 15_000;
    // RabbitMQ refreshes a stream's message count every few seconds: well above that.
    this.stallMs = options.stallMs ?? 20_000;
    const stored = options.model.resumeOffset();
    this.floor = stored ?? (typeof options.from === "number" ? options.from : null);
    this.offset = this.floor ?? 0;
  }

  /** Starts consuming in the background: RabbitMQ being away at start is waited out, like later. */
  async start(): Promise<void> {
    this.options.model.claimStream(this.options.stream);
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
    const { channel, consumerTag } = this;
    if (channel && consumerTag) {
      try {
        // Deliveries sent before the cancel is answered arrive before its answer: they are in the buffer then.
        await answerWithin(channel.cancel(consumerTag), this.answerMs, `cancelling the consumer of ${this.options.stream}`);
      } catch {}
    }
    this.flush();
    await this.connection?.close().catch(() => {});
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSleep?.();
    clearTimeout(this.flushTimer);
    await this.connection?.close().catch(() => {});
    await this.running;
  }

  private async run(): Promise<void> {
    const { log, stream } = this.options;
    let delay = this.backoff.initial;
    let lastProblem: string | null = null;
    while (!this.stopping) {
      try {
        const { closed } = await this.connect();
        if (lastProblem !== null) log.info("projection connected to RabbitMQ again", { stream, offset: this.offset });
        lastProblem = null;
        delay = this.backoff.initial;
        const reason = await closed;
        clearInterval(this.stallWatch);
        if (this.stopping) break;
        throw reason;
      } catch (e) {
        this.disconnected();
        if (this.stopping) break;
        // The URL's password never reaches a log, should a library's message quote the URL.
        const problem = scrub((e as Error)?.message ?? String(e), this.options.url);
        const where = `${stream} at ${redactUrl(this.options.url)}`;
        // One warning per outage; how its cause changes while it lasts (refused, reset, timed out) is detail.
        if (lastProblem === null) log.warn(`projection cannot consume ${where}: ${problem}; retrying with backoff up to ${this.backoff.max / 1000}s`, { stream, offset: this.offset });
        else if (problem !== lastProblem) log.debug(`projection still cannot consume ${where}: ${problem}`, { stream });
        lastProblem = problem;
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.backoff.max);
      }
    }
  }

  /** Connects and consumes; `closed` settles (with the reason) when the connection ends. */
  private async connect(): Promise<{ closed: Promise<Error> }> {
    const { url, stream, log } = this.options;
    const connection = await amqp.connect(url, { clientProperties: { connection_name: "todo project" }, timeout: 10_000 });
    this.connection = connection;
    this.closeReason = undefined;
    const closed = new Promise<Error>((resolve) => {
      let error: Error | undefined;
      connection.on("error", (e: Error) => (error = e));
      connection.on("close", (e?: Error) => resolve(e ?? error ?? this.closeReason ?? new Error("the connection closed")));
    });
    if (this.stopping) {
      await connection.close().catch(() => {});
      return { closed };
    }
    const from: StartOffset = this.floor ?? this.options.from;
    const consuming = (async () => {
      const channel = await connection.createChannel();
      this.channel = channel;
      // A channel error (the queue deleted, a precondition) closes the connection too: one way to recover.
      channel.on("error", (e: Error) => log.warn(`projection channel failed: ${e.message}`, { stream }));
      channel.on("close", () => void connection.close().catch(() => {}));
      await channel.assertQueue(stream, STREAM_QUEUE_OPTIONS);
      await channel.prefetch(this.prefetch);
      // Deliveries can be handled before consume()'s promise settles: set what they are checked against first.
      this.expected = this.floor;
      return await channel.consume(stream, (message) => this.receive(message), { noAck: false, arguments: { "x-stream-offset": from } });
    })();
    // Unanswered, the caller closes this connection and connects again.
    const { consumerTag } = await answerWithin(consuming, this.answerMs, `consuming ${stream}`);
    this.consumerTag = consumerTag;
    this.connected = true;
    this.watchForStall(connection, this.channel!);
    log.info("projection consuming", { stream, from, url: redactUrl(url) });
    return { closed };
  }

  /**
   * Checks, while the offset stands still, whether the stream holds messages from it on (its message
   * count is at most its last offset + 1, so a count above the offset means one is there to apply).
   */
  private watchForStall(connection: ChannelModel, channel: Channel): void {
    const { stream, log } = this.options;
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
      try {
        const { messageCount } = await answerWithin(channel.checkQueue(stream), this.answerMs, `checking ${stream}`);
        if (messageCount <= seen || this.offset !== seen || connection !== this.connection) return;
        log.debug("projection stream holds more than was applied", { stream, messageCount, offset: seen });
        this.closeReason = new Error(`nothing was applied for ${Math.round(this.stallMs / 1000)} s though the stream holds messages from offset ${seen} on`);
      } catch (e) {
        this.closeReason = e as Error;
      } finally {
        checking = false;
      }
      if (connection === this.connection) void connection.close().catch(() => {});
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
    void this.connection?.close().catch(() => {});
    this.channel = undefined;
    this.consumerTag = undefined;
    this.connection = undefined;
  }

  private receive(message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled the consumer (the stream was deleted): connect again and declare it.
      this.options.log.warn("projection consumer cancelled by RabbitMQ", { stream: this.options.stream });
      void this.connection?.close().catch(() => {});
      return;
    }
    const offset = Number(message.properties.headers?.["x-stream-offset"]);
    if (!Number.isSafeInteger(offset)) {
      this.fail(new Error(`a message from ${this.options.stream} has no x-stream-offset header: is it a stream queue?`));
      return;
    }
    if (this.floor !== null && offset < this.floor) {
      this.channel?.ack(message);
      return;
    }
    if (this.expected !== null && offset > this.expected)
      // Retention (max-age, max-length) removed them before they were applied: say so, they are gone.
      this.options.log.warn(`projection missed offsets ${this.expected} to ${offset - 1} of ${this.options.stream}: the stream no longer holds them`, {
        stream: this.options.stream,
        offset,
      });
    this.expected = offset + 1;
    this.buffer.push({ item: this.decode(message, offset), message });
    if (this.buffer.length >= this.batch) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  private decode(message: ConsumeMessage, offset: number): StreamItem {
    const item = toStreamItem(this.options.decode, offset, message.content, message.properties.contentType ?? "", message.properties.messageId);
    if ("rejected" in item)
      this.options.log.warn(`projection rejected the message at offset ${offset}: ${item.rejected.reason}`, { stream: this.options.stream, offset, message_id: message.properties.messageId });
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
    try {
      this.channel?.ack(received.at(-1)!.message, true);
    } catch {
      // The channel closed after the commit: nothing is lost, the stored offset says where to resume.
    }
  }

  /** Stops for good: a projection that cannot be written must not consume on. */
  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.options.log.error(error.message, { stream: this.options.stream, offset: this.offset });
    this.stopping = true;
    this.buffer = [];
    this.wakeSleep?.();
    void this.connection?.close().catch(() => {});
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
