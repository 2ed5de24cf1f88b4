// For the projection's tests: a publisher that writes todo events to a RabbitMQ stream as the relay does
// (encodeEventMessage, a ConfirmChannel, the contract's declaration and properties), a log of synthetic
// events that knows the todos they leave, and `todo project` / `todo stats` run as the compiled binary.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import amqp, { type ChannelModel, type ConfirmChannel, type Options } from "amqplib";
import type { Subprocess } from "bun";
import type { EventFormat } from "../../src/config/fields";
import { encodeEventMessage } from "../../src/wire/event-message";
import type { ProjectionStats } from "../../src/events/projection-model";
import type { TodoRecord } from "../../src/todos/model";
import type { State } from "../../src/vocabulary/todo";
import type { ChangeKind, TodoEvent } from "../../src/todos/ports";
import { ensureBinary } from "./binary";
import { cli, hidden } from "./daemon";
import { lineReader } from "./lines";
import { SHARED_RABBITMQ_URL, STREAM_ARGUMENTS } from "./rabbitmq";

/** Publishes to a stream exactly as the relay does. */
export class StreamPublisher {
  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
    readonly stream: string,
  ) {}

  static async open(stream: string, url = SHARED_RABBITMQ_URL): Promise<StreamPublisher> {
    const connection = await amqp.connect(url);
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(stream, STREAM_ARGUMENTS);
    return new StreamPublisher(connection, channel, stream);
  }

  async publish(events: TodoEvent[], format: EventFormat | ((event: TodoEvent) => EventFormat) = "protobuf"): Promise<void> {
    for (const event of events) {
      const m = encodeEventMessage(event, typeof format === "function" ? format(event) : format);
      this.raw(m.body, { contentType: m.contentType, type: m.type, messageId: m.messageId, timestamp: m.timestamp, headers: m.headers });
    }
    await this.channel.waitForConfirms();
  }

  /** A message of any shape (a producer's mistake). */
  async publishRaw(body: Buffer, properties: Options.Publish): Promise<void> {
    this.raw(body, properties);
    await this.channel.waitForConfirms();
  }

  private raw(body: Buffer, properties: Options.Publish) {
    this.channel.publish("", this.stream, body, { persistent: true, ...properties });
  }

  /** Closes; with `remove`, deletes the stream (the shared broker keeps nothing of a test). */
  async close(remove = true): Promise<void> {
    if (remove) await this.channel.deleteQueue(this.stream).catch(() => {});
    await this.connection.close().catch(() => {});
  }
}

let clock = Date.UTC(2026, 10, 20, 9, 0, 0);

/** Events as a daemon's log would record them, and the todos they leave. */
export class SyntheticLog {
  readonly events: TodoEvent[] = [];
  /** DONE transitions per UTC day, as the projection counts them. */
  readonly doneByDay: Record<string, number> = {};
  private readonly live = new Map<string, TodoRecord>();
  /** The version an id's next event gets (continues after a delete). */
  private readonly versions = new Map<string, number>();

  private record(kind: ChangeKind, todo: TodoRecord, extra: Partial<TodoEvent> = {}): TodoEvent {
    const event: TodoEvent = {
      position: this.events.length + 1,
      eventId: randomUUID(),
      kind,
      todoId: todo.id,
      version: kind === "deleted" ? todo.version + 1 : todo.version,
      time: todo.updateTime,
      actor: "",
      changedFields: [],
      todo: { ...todo, tags: [...todo.tags] },
      ...extra,
    };
    const before = this.events.findLast((e) => e.todoId === todo.id);
    const wasDone = before !== undefined && before.kind !== "deleted" && before.todo.state === "STATE_DONE";
    if ((kind === "created" || kind === "updated") && todo.state === "STATE_DONE" && !wasDone) {
      const day = new Date(event.time).toISOString().slice(0, 10);
      this.doneByDay[day] = (this.doneByDay[day] ?? 0) + 1;
    }
    this.events.push(event);
    return event;
  }

  create(fields: { title: string; tags?: string[]; state?: State; reminder?: number | null }, id = randomUUID().replaceAll("-", "").slice(0, 24)): string {
    clock += 60_000;
    const version = (this.versions.get(id) ?? 0) + 1;
    const todo: TodoRecord = {
      id,
      title: fields.title,
      description: "",
      tags: fields.tags ?? [],
      reminder: fields.reminder ?? null,
      state: fields.state ?? "STATE_NOT_STARTED",
      createTime: clock,
      updateTime: clock,
      version,
      number: 0,
    };
    this.live.set(id, todo);
    this.versions.set(id, version);
    this.record("created", todo);
    return id;
  }

  update(id: string, fields: Partial<Pick<TodoRecord, "title" | "tags" | "state" | "reminder">>, at?: number): void {
    clock = Math.max(clock + 60_000, at ?? 0);
    const todo = { ...this.live.get(id)!, ...fields, updateTime: clock };
    todo.version++;
    this.live.set(id, todo);
    this.versions.set(id, todo.version);
    this.record("updated", todo, { changedFields: Object.keys(fields) });
  }

  remove(id: string): void {
    clock += 60_000;
    const todo = this.live.get(id)!;
    this.live.delete(id);
    this.versions.set(id, todo.version + 1);
    this.record("deleted", { ...todo, updateTime: todo.updateTime }, { time: clock });
  }

  reminderDue(id: string): void {
    const todo = this.live.get(id)!;
    this.record("reminder_due", todo, { reminder: todo.reminder!, time: todo.reminder! + 1_000 });
  }

  todos(): TodoRecord[] {
    return [...this.live.values()].sort((a, b) => a.createTime - b.createTime || a.id.localeCompare(b.id));
  }
}

export interface Projector {
  process: Subprocess<"ignore", "pipe", "pipe">;
  /** Every JSON log line so far. */
  logs(): Record<string, unknown>[];
  /** Resolves with the first log line `match` accepts, waiting up to `withinMs`. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, what: string, withinMs?: number): Promise<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<number>;
  stderr(): string;
}

const running = new Set<Subprocess>();
process.on("exit", () => {
  for (const proc of running) proc.kill("SIGKILL");
});

/** `todo project` on `stream`, writing `db`, logging JSON. */
export async function startProjector(options: { stream: string; db: string; url?: string; args?: string[]; env?: Record<string, string> }): Promise<Projector> {
  const binary = await ensureBinary();
  const proc = Bun.spawn(
    hidden([binary, "project", "--events-url", options.url ?? SHARED_RABBITMQ_URL, "--events-stream", options.stream, "--db", options.db, "--log-format", "json", ...(options.args ?? [])]),
    { env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...options.env }, stdout: "pipe", stderr: "pipe" },
  );
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  const lines = lineReader(proc.stdout);
  let stderr = "";
  void (async () => {
    for await (const chunk of proc.stderr) stderr += new TextDecoder().decode(chunk);
  })();
  const parsed = () =>
    lines.seen.map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return { raw: l };
      }
    });
  return {
    process: proc,
    logs: parsed,
    async waitForLog(match, what, withinMs = 30_000) {
      const until = Date.now() + withinMs;
      for (;;) {
        const line = parsed().find(match);
        if (line) return line;
        if (Date.now() > until || proc.exitCode !== null)
          throw new Error(`waited for ${what}; todo project ${proc.exitCode === null ? "is running" : `exited ${proc.exitCode}`}:\n${lines.seen.join("\n")}\n${stderr}`);
        await Bun.sleep(20);
      }
    },
    async stop(signal = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid, signal);
      return await proc.exited;
    },
    stderr: () => stderr,
  };
}

export const projectionFile = () => join(mkdtempSync(join(tmpdir(), "todo-projection-")), "projection.db");

/** `todo stats --json` of a projection file (with --by, that breakdown alone). */
export async function stats(db: string): Promise<ProjectionStats>;
export async function stats(db: string, by: "--by", breakdown: "tag" | "state" | "day"): Promise<Record<string, number>>;
export async function stats(db: string, ...args: string[]): Promise<unknown> {
  const r = await cli(["stats", "--db", db, "--json", ...args]);
  if (r.exitCode !== 0) throw new Error(`todo stats exited ${r.exitCode}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Waits until the projection has read the stream up to `offset` (its resume offset reaches it). */
export async function waitForOffset(db: string, offset: number, withinMs = 60_000): Promise<ProjectionStats> {
  const until = Date.now() + withinMs;
  let last: ProjectionStats | undefined;
  for (;;) {
    try {
      last = await stats(db);
      if (last.offset >= offset) return last;
    } catch {}
    if (Date.now() > until) throw new Error(`the projection did not reach offset ${offset} within ${withinMs} ms: ${JSON.stringify(last)}`);
    await Bun.sleep(100);
  }
}

/** What `todo stats --json` must say about these todos (the counts a person checks). */
export function expectedCounts(todos: TodoRecord[]) {
  const by_state: Record<string, number> = { NOT_STARTED: 0, IN_PROGRESS: 0, DONE: 0 };
  const by_tag: Record<string, number> = {};
  for (const t of todos) {
    by_state[t.state.replace("STATE_", "")]!++;
    for (const tag of t.tags) by_tag[tag] = (by_tag[tag] ?? 0) + 1;
  }
  return { total: todos.length, by_state, by_tag };
}
