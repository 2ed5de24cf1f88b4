// The MongoDB store: one document per todo in the `todos` collection, `_id` an ObjectId whose hex is the
// todo's id, `version` in the document so optimistic concurrency is a filter on {_id, version} that
// MongoDB applies atomically. Searches run on the server (regex, $all, $in, keyset pages on an index).
// The client connects lazily and the driver reconnects by itself, so the daemon starts while MongoDB is
// down and recovers when it returns; meanwhile every call fails fast with UnavailableError.
//
// Tested against FerretDB (the MongoDB wire protocol on SQLite); it uses only what real MongoDB supports.
//
// The event log and how writes reach it: docs/events.md, "The MongoDB write protocol". This class
// composes the rooms that do the work: connection.ts (client, calls), errors.ts, documents.ts (shapes
// and mapping), turns.ts (serialized writes), numbering.ts, writes.ts (with create-batches.ts), search.ts,
// reminders.ts, log.ts and sequencing.ts.
import type { TodoFields, TodoRecord } from "../../todos/model";
import type { Change, CreateOptions, Leases, SearchPage, SearchQuery, SearchSpending, TodoEvent, TodoStore, WriteOptions } from "../../todos/ports";
import { MongoConnection, type MongoStoreOptions } from "./connection";
import { CreateBatches } from "./create-batches";
import { COLLECTION, objectId, type PendingSnapshot, toRecord } from "./documents";
import { LEASES, MongoLeases } from "./leases";
import { EventLog } from "./log";
import { ShortNumbers } from "./numbering";
import { originalTodosWaiting, watchOriginalTodos } from "./original-data";
import { Reminders } from "./reminders";
import { TodoSearch } from "./search";
import { Sequencing } from "./sequencing";
import { WriteTurns } from "./turns";
import { TodoWrites } from "./writes";

export type { MongoStoreOptions } from "./connection";

export class MongoStore implements TodoStore {
  private readonly connection: MongoConnection;
  private readonly turns = new WriteTurns();
  private readonly numbers: ShortNumbers;
  private readonly writes: TodoWrites;
  private readonly todoSearch: TodoSearch;
  private readonly reminders: Reminders;
  private readonly log: EventLog;
  private readonly sequencing: Sequencing;
  /** Stops looking for the original todod's todos (when `originalTodos` asked for it). */
  private stopLookingForOriginal = () => {};
  /** Where the store keeps its data, with the password redacted, for logs. */
  readonly description: string;

  /**
   * Opens a store without waiting for MongoDB: connecting and creating the indexes start in the
   * background and are retried by later calls. Throws only for a connection string the driver rejects.
   */
  static open(options: MongoStoreOptions): MongoStore {
    const store = new MongoStore(options);
    store.prepare().catch(() => {}); // calls report the failure, if it lasts
    const report = options.originalTodos;
    const connection = store.connection;
    if (report)
      store.stopLookingForOriginal = watchOriginalTodos({
        count: () => connection.run(() => originalTodosWaiting(connection.client, connection.todos)),
        report,
        warn: (message) => options.warn?.(message),
        collection: `${connection.database}.${COLLECTION}`,
      });
    store.sequencing.start();
    return store;
  }

  private constructor(options: MongoStoreOptions) {
    this.connection = new MongoConnection(options);
    this.description = this.connection.description;
    this.numbers = new ShortNumbers(
      () => this.connection.numbers,
      () => this.connection.ensureLogIndexes(),
    );
    const wrote = (id: string, left?: PendingSnapshot) => this.sequencing.wrote(id, left);
    this.writes = new TodoWrites(this.connection, this.turns, this.numbers, new CreateBatches(this.connection, this.numbers), wrote);
    this.todoSearch = new TodoSearch(this.connection);
    this.reminders = new Reminders(this.connection, this.turns, wrote);
    this.log = new EventLog(this.connection, this.numbers);
    this.sequencing = new Sequencing(this.connection, this.turns, this.numbers, this.log, this.reminders);
  }

  /** Connects and creates the indexes. Calls do this themselves; awaiting it tells whether it worked. */
  prepare(): Promise<void> {
    return this.connection.prepare();
  }

  leases(): Leases {
    const connection = this.connection;
    return new MongoLeases(() => connection.client.db(connection.database).collection(LEASES), (operation) => connection.run(operation), connection.claims);
  }

  create(fields: TodoFields, options: WriteOptions & CreateOptions = {}): Promise<Change> {
    return this.writes.create(fields, options);
  }

  update(id: string, fields: Partial<TodoFields>, options: WriteOptions & { expectedVersion?: number } = {}): Promise<Change> {
    return this.writes.update(id, fields, options);
  }

  delete(id: string, options: WriteOptions & { expectedVersion?: number } = {}): Promise<Change> {
    return this.writes.delete(id, options);
  }

  /**
   * Events this store's writes (and reminders) put into their todos' `pending` minus those of them
   * its sequencing has since seen in the log: 0 once they are all in (docs/events.md, "Lag").
   */
  lag(): number {
    return this.sequencing.lag();
  }

  /** Calls `listener` with the head each time this process's sequencing put events into the log. */
  onHeadMoved(listener: (head: number) => void): () => void {
    return this.sequencing.onHeadMoved(listener);
  }

  /** MongoDB commands this store started, by name, since it opened. */
  commandsStarted(): Record<string, number> {
    return this.connection.commandsStarted();
  }

  /** Degraded while the lag stays high (see Sequencing's `degraded`); null otherwise. */
  degraded(): string | null {
    return this.sequencing.degraded();
  }

  async get(id: string): Promise<TodoRecord | null> {
    const _id = objectId(id);
    if (!_id) return null;
    return this.connection.run(async () => {
      // By _id alone: FerretDB answers that from its primary key, while a second condition or a
      // projection makes it scan the collection (9 vs 100 ms a read among 1,000 todos, measured on
      // FerretDB 1.24); a tombstone is not a todo.
      const doc = await this.connection.todos.findOne({ _id });
      return doc && doc.deleted !== true ? toRecord(doc) : null;
    });
  }

  search(query: SearchQuery, signal?: AbortSignal, spending?: SearchSpending): Promise<SearchPage> {
    return this.todoSearch.search(query, signal, spending);
  }

  /** Fires the armed reminders due by `now` of todos not DONE (see Reminders' `fireDue`). */
  fireDueReminders(now: number, limit: number): Promise<Change[]> {
    return this.reminders.fireDue(now, limit);
  }

  nextReminderDue(): Promise<number | null> {
    return this.reminders.nextDue();
  }

  readEvents(after: number, limit: number): Promise<TodoEvent[]> {
    return this.log.read(after, limit);
  }

  headPosition(): Promise<number> {
    return this.log.headPosition();
  }

  replay(events: TodoEvent[]): Promise<void> {
    return this.log.replay(events);
  }

  /**
   * Resolves once every event this process wrote before the call is in the log, and every pending
   * event a sweep started now finds (documents of earlier releases get theirs first). Rejects when that
   * sweep fails (UnavailableError while MongoDB is away). For tests and `todo replay`.
   */
  settle(): Promise<void> {
    return this.flush();
  }

  flush(): Promise<void> {
    return this.sequencing.flush();
  }

  /** Resolves when MongoDB answers a ping (see MongoConnection's `ping`). */
  ping(): Promise<void> {
    return this.connection.ping();
  }

  /**
   * Stops sequencing and closes the connection. The pass for the last writes may finish first, for
   * up to callTimeoutMS; what is still pending then stays for the next sweep, of any daemon.
   */
  async close(): Promise<void> {
    this.stopLookingForOriginal();
    const stopped = this.sequencing.stop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, this.connection.callTimeoutMS)))]);
    clearTimeout(timer);
    await this.connection.close(); // a pass still running stops at its next step, and a call of it in flight fails
    await stopped;
  }
}
