// The stream edge on RabbitMQ (AMQP 0.9.1, amqplib): a stream queue, declared the same way by the relay
// and the projector (any other argument fails the other side's declare), a confirm channel to publish,
// a channel with a prefetch window to consume from an `x-stream-offset`. Every call on an open
// connection is bounded by answerMs: amqplib's have no timeout of their own.
import amqp, { type Channel, type ConfirmChannel } from "amqplib";
import { answerWithin } from "./answer-within";
import { redactUrl, scrub } from "../secrets/redact";
import type { ConsumeOptions, ConsumerSession, IncomingMessage, OutgoingMessage, PublisherSession, StreamEdge } from "./stream-edge";

export interface AmqpStreamOptions {
  /** amqp:// or amqps://; may hold a password, which only reaches `where` redacted. */
  url: string;
  stream: string;
  /** Shown in RabbitMQ's management UI. */
  connectionName: string;
  /** How long opening a channel, declaring the stream and starting a consumer may take, each time. */
  answerMs?: number;
}

const STREAM_QUEUE_OPTIONS = { durable: true, arguments: { "x-queue-type": "stream" } } as const;
const CONNECT_TIMEOUT_MS = 10_000;

export function amqpStream(options: AmqpStreamOptions): StreamEdge {
  const { url, stream, connectionName } = options;
  const answerMs = options.answerMs ?? 15_000;

  /** Connects; `end` settles `closed` with the first cause (an error, or the close), `closedBy` names one we chose. */
  async function connect() {
    const connection = await amqp.connect(url, { timeout: CONNECT_TIMEOUT_MS, clientProperties: { connection_name: connectionName } });
    let end!: (cause: Error) => void;
    let ended = false;
    const closed = new Promise<Error>((resolve) => {
      end = (cause) => {
        if (ended) return;
        ended = true;
        resolve(cause);
        void connection.close().catch(() => {});
      };
    });
    let error: Error | undefined;
    connection.on("error", (e: Error) => (error ??= e));
    connection.on("close", (e?: Error) => end(e ?? error ?? new Error("the connection to RabbitMQ closed")));
    const close = async (reason?: Error) => {
      end(reason ?? new Error("closed by this process"));
      await connection.close().catch(() => {});
    };
    /** Runs `setup`; past answerMs, or failing, the connection is closed and the error thrown. */
    async function within<T>(setup: Promise<T>, what: string): Promise<T> {
      try {
        return await answerWithin(setup, answerMs, what);
      } catch (e) {
        await close(e as Error);
        throw e;
      }
    }
    return { connection, closed, end, close, within };
  }

  function watchChannel(channel: Channel, end: (cause: Error) => void, name: string) {
    // A channel error (the queue deleted, a precondition) ends the session: one way to recover.
    let error: Error | undefined;
    channel.on("error", (e: Error) => (error ??= e));
    channel.on("close", () => end(error ?? new Error(`the ${name} channel to RabbitMQ closed`)));
  }

  return {
    stream,
    where: `${stream} at ${redactUrl(url)}`,
    scrub: (text) => scrub(text, url),

    async openPublisher(hooks): Promise<PublisherSession> {
      const { connection, closed, end, close, within } = await connect();
      connection.on("blocked", (reason: string) => hooks.blocked(reason));
      const channel: ConfirmChannel = await within(
        (async () => {
          const channel = await connection.createConfirmChannel();
          watchChannel(channel, end, "publishing");
          await channel.assertQueue(stream, STREAM_QUEUE_OPTIONS);
          return channel;
        })(),
        `declaring ${stream}`,
      );
      return {
        closed,
        close: (reason?: Error) => close(reason),
        publish(message: OutgoingMessage, confirmed: (error?: Error) => void) {
          const { body, ...properties } = message;
          channel.publish("", stream, body, { persistent: true, ...properties }, (error) =>
            confirmed(error ? new Error(String((error as Error)?.message ?? error)) : undefined),
          );
        },
      };
    },

    async openConsumer({ from, prefetch, receive }: ConsumeOptions): Promise<ConsumerSession> {
      const { connection, closed, end, close, within } = await connect();
      let channel!: Channel;
      const consumerTag = await within(
        (async () => {
          channel = await connection.createChannel();
          watchChannel(channel, end, "consuming");
          await channel.assertQueue(stream, STREAM_QUEUE_OPTIONS);
          await channel.prefetch(prefetch);
          const { consumerTag } = await channel.consume(
            stream,
            (message) => {
              if (message === null) return receive(null);
              const header = message.properties.headers?.["x-stream-offset"];
              const incoming: IncomingMessage = {
                offset: Number.isSafeInteger(Number(header)) && header !== undefined && header !== null ? Number(header) : undefined,
                body: message.content,
                contentType: message.properties.contentType ?? "",
                messageId: typeof message.properties.messageId === "string" ? message.properties.messageId : undefined,
                ack() {
                  try {
                    channel.ack(message, true);
                  } catch {
                    // The channel closed: nothing is lost, the consumer resumes from its stored offset.
                  }
                },
              };
              receive(incoming);
            },
            { noAck: false, arguments: { "x-stream-offset": from } },
          );
          return consumerTag;
        })(),
        `consuming ${stream}`,
      );
      return {
        closed,
        close: (reason?: Error) => close(reason),
        cancel: () => answerWithin(channel.cancel(consumerTag).then(() => {}), answerMs, `cancelling the consumer of ${stream}`),
        messageCount: async () => (await answerWithin(channel.checkQueue(stream), answerMs, `checking ${stream}`)).messageCount,
      };
    },
  };
}
