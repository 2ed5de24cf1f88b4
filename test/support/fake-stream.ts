// A stream edge (src/events/stream-edge.ts) in memory, for the relay's and the projector's logic: the
// test decides when the broker confirms, refuses, delivers, counts, fails or does not answer. The
// RabbitMQ edge itself is covered by the tests that run against the real broker.
import type { TodoEvent } from "../../src/todos/ports";
import type {
  ConsumeOptions,
  ConsumerSession,
  IncomingMessage,
  OutgoingMessage,
  PublisherSession,
  StreamEdge,
} from "../../src/events/stream-edge";

/**
 * A minimal message with the position header, standing in for the daemon's encoder in the relay's
 * tests (src/events does not import the API layer that owns the real one).
 */
export function positionMessage(e: TodoEvent): OutgoingMessage {
  return {
    body: Buffer.from(JSON.stringify({ position: e.position })),
    contentType: "application/json",
    type: "test",
    messageId: e.eventId,
    timestamp: Math.floor(e.time / 1000),
    headers: { "x-todo-position": e.position },
  };
}

/** What both kinds of session share: `closed` settles once, with the first cause, when it ends. */
abstract class FakeSession {
  readonly closed: Promise<Error>;
  ended = false;
  private end!: (cause: Error) => void;

  constructor() {
    this.closed = new Promise((resolve) => (this.end = resolve));
  }

  /** The connection ends under the client. */
  fail(cause: Error): void {
    this.ended = true;
    this.end(cause);
  }

  async close(reason?: Error): Promise<void> {
    this.fail(reason ?? new Error("closed by this process"));
  }
}

export class FakePublisher extends FakeSession implements PublisherSession {
  /** Published on this session and not yet confirmed or refused, oldest first. */
  readonly unconfirmed: { message: OutgoingMessage; confirmed: (error?: Error) => void }[] = [];
  constructor(private readonly edge: FakeStream) {
    super();
  }

  publish(message: OutgoingMessage, confirmed: (error?: Error) => void): void {
    if (this.ended) return; // as on a closed channel: never confirmed
    this.edge.published.push(message);
    const entry = { message, confirmed };
    this.unconfirmed.push(entry);
    if (this.edge.autoConfirm) queueMicrotask(() => this.confirm(entry.message));
  }

  /** Confirms `message` (by identity), or the oldest unconfirmed one. */
  confirm(message = this.unconfirmed[0]?.message, error?: Error): void {
    const i = this.unconfirmed.findIndex((entry) => entry.message === message);
    if (i < 0) return;
    const [entry] = this.unconfirmed.splice(i, 1);
    entry!.confirmed(error);
  }

}

export class FakeConsumer extends FakeSession implements ConsumerSession {
  cancelled = false;
  /** The highest offset acknowledged (acks are cumulative), or -1. */
  acked = -1;
  constructor(
    private readonly edge: FakeStream,
    readonly options: ConsumeOptions,
  ) {
    super();
  }

  /** Delivers messages at these offsets, with bodies from the edge's stream (undefined: no offset header). */
  deliver(...offsets: (number | undefined)[]): void {
    for (const offset of offsets) {
      if (this.ended || this.cancelled) return;
      const body = offset === undefined ? Buffer.from("{}") : this.edge.messages[offset];
      if (!body) throw new Error(`the fake stream holds no message at offset ${offset}`);
      const message: IncomingMessage = {
        offset,
        body,
        contentType: "application/json",
        ack: () => {
          if (!this.ended && offset !== undefined) this.acked = Math.max(this.acked, offset);
        },
      };
      this.options.receive(message);
    }
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
  }

  async messageCount(): Promise<number> {
    return this.edge.messages.length;
  }

}

export class FakeStream implements StreamEdge {
  readonly stream = "fake-stream";
  readonly where = "fake-stream at the test's memory";
  /** Every message published, on any session, in order (resent ones again). */
  readonly published: OutgoingMessage[] = [];
  /** The stream's messages by offset, for consumers. */
  readonly messages: Buffer[] = [];
  readonly publishers: FakePublisher[] = [];
  readonly consumers: FakeConsumer[] = [];
  /** Confirm every publish at once. */
  autoConfirm = false;
  /** Errors the next opens reject with, one per open. */
  readonly refusals: Error[] = [];

  scrub(text: string): string {
    return text;
  }

  async openPublisher(): Promise<PublisherSession> {
    const refusal = this.refusals.shift();
    if (refusal) throw refusal;
    const session = new FakePublisher(this);
    this.publishers.push(session);
    return session;
  }

  async openConsumer(options: ConsumeOptions): Promise<ConsumerSession> {
    const refusal = this.refusals.shift();
    if (refusal) throw refusal;
    const session = new FakeConsumer(this, options);
    this.consumers.push(session);
    return session;
  }

  /** The session opened last. */
  get publisher(): FakePublisher {
    const session = this.publishers.at(-1);
    if (!session) throw new Error("no publisher session was opened");
    return session;
  }

  get consumer(): FakeConsumer {
    const session = this.consumers.at(-1);
    if (!session) throw new Error("no consumer session was opened");
    return session;
  }
}

/** Polls `check` every 10 ms until it holds, or fails naming `what` after `ms`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await Bun.sleep(10);
  }
}
