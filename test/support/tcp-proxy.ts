// A TCP forwarder between a client under test and a real server, that a test can cut and restore: the
// network going away, without stopping a server other tests share. For AMQP it can also withhold the
// messages RabbitMQ delivers on the connections open now, while everything else (heartbeats, answers)
// still passes: a broker that stopped delivering to a consumer whose connection looks alive.
import { connect, createServer, type Server, type Socket } from "node:net";
import { freePort } from "./net";

/**
 * Reads AMQP 0-9-1 frames from the server (type, channel, size, payload, end byte) and drops, once
 * `withholding`, every basic.deliver with its content header and body frames.
 */
class AmqpDeliveries {
  withholding = false;
  private pending = Buffer.alloc(0);
  /** Channels whose delivery's content frames are being dropped. */
  private readonly dropping = new Set<number>();

  pass(chunk: Buffer): Buffer {
    this.pending = Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    while (this.pending.length >= 7) {
      const size = 7 + this.pending.readUInt32BE(3) + 1;
      if (this.pending.length < size) break;
      const frame = this.pending.subarray(0, size);
      this.pending = this.pending.subarray(size);
      const [type, channel] = [frame[0], frame.readUInt16BE(1)];
      if (type === 1) {
        // basic (60) . deliver (60)
        const deliver = frame.readUInt16BE(7) === 60 && frame.readUInt16BE(9) === 60;
        if (deliver && this.withholding) this.dropping.add(channel);
        else this.dropping.delete(channel);
      }
      if (!this.dropping.has(channel) || (type !== 1 && type !== 2 && type !== 3)) out.push(frame);
    }
    return Buffer.concat(out);
  }
}

export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly deliveries = new Set<AmqpDeliveries>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
    private readonly amqp: boolean,
  ) {}

  /** With `amqp`, the server's frames are read so that withholdDeliveries() can work. */
  static async start(target: { host: string; port: number }, options: { amqp?: boolean } = {}): Promise<TcpProxy> {
    const proxy = new TcpProxy(await freePort(), target, options.amqp ?? false);
    await proxy.open();
    return proxy;
  }

  /** Accepts connections again, on the same port. */
  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      const deliveries = this.amqp ? new AmqpDeliveries() : undefined;
      if (deliveries) this.deliveries.add(deliveries);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => {
          this.sockets.delete(socket);
          if (deliveries) this.deliveries.delete(deliveries);
        });
        socket.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      if (deliveries) upstream.on("data", (chunk: Buffer) => client.write(deliveries.pass(chunk)));
      else upstream.pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
  }

  /** From now on, the connections open now receive no message RabbitMQ delivers; new connections do. */
  withholdDeliveries(): void {
    if (!this.amqp) throw new Error("withholdDeliveries needs a proxy started with { amqp: true }");
    for (const d of this.deliveries) d.withholding = true;
  }

  /** Drops every connection and refuses new ones, as a server that went away. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
