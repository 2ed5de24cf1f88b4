// What the relay and the projector need of the broker: a stream to publish to with confirms, and a
// stream to consume from an offset with acks. Their logic (leases, checkpoints, windows, batches,
// stall watch, backoff) lives in relay.ts and projection.ts and runs against this; amqp-stream.ts is
// the one implementation on RabbitMQ, and the unit tests drive the logic through a fake.

/** One event as a message: the daemon passes the encoder in (src/wire/event-message.ts). */
export interface OutgoingMessage {
  body: Buffer;
  contentType: string;
  type: string;
  messageId: string;
  timestamp: number;
  headers: Record<string, unknown>;
}

/** Where a consumer without a stored offset starts: the whole stream, only new messages, or an offset. */
export type StartOffset = "first" | "next" | number;

/** An open connection with the stream declared. `closed` settles, with the cause, once it ends for any reason. */
export interface StreamSession {
  readonly closed: Promise<Error>;
  /** Closes it, settling `closed` with `reason` (default: closed by this process); never rejects. */
  close(reason?: Error): Promise<void>;
}

export interface PublisherSession extends StreamSession {
  /** Publishes persistently; `confirmed` is called once, with an error when the broker refused it. */
  publish(message: OutgoingMessage, confirmed: (error?: Error) => void): void;
}

export interface IncomingMessage {
  /** Its offset in the stream; undefined when the broker sent none (not a stream). */
  offset: number | undefined;
  body: Uint8Array;
  contentType: string;
  messageId?: string;
  /** Acknowledges it and every one before it (credit for the prefetch window); a no-op once the session ended. */
  ack(): void;
}

export interface ConsumerSession extends StreamSession {
  /** Stops deliveries; those sent before the answer arrive first. */
  cancel(): Promise<void>;
  /** How many messages the stream holds (its last offset + 1 at most), as the broker last counted. */
  messageCount(): Promise<number>;
}

export interface ConsumeOptions {
  from: StartOffset;
  /** Unacknowledged messages the broker may send ahead. */
  prefetch: number;
  /** Each delivery; null when the broker cancelled the consumer (the stream was deleted). */
  receive(message: IncomingMessage | null): void;
}

/** A broker's stream, as the relay and the projector see it. Opening rejects when the broker is away or does not answer in time. */
export interface StreamEdge {
  /** The stream's name. */
  readonly stream: string;
  /** Where it is, for logs: never with a password. */
  readonly where: string;
  /** `text` (a client library's message, which may quote the URL) without the URL's password. */
  scrub(text: string): string;
  openPublisher(hooks: { blocked(reason: string): void }): Promise<PublisherSession>;
  openConsumer(options: ConsumeOptions): Promise<ConsumerSession>;
}
