// The MongoDB store: one document per todo in the `todos` collection, `_id` an ObjectId whose hex is the
// todo's id, `version` in the document so optimistic concurrency is a filter on {_id, version} that
// MongoDB applies atomically. Searches run on the server (regex, $all, $in, keyset pages on an index).
// The client connects lazily and the driver reconnects by itself, so the daemon starts while MongoDB is
// down and recovers when it returns; meanwhile every call fails fast with StoreUnavailableError.
//
// Tested against FerretDB (the MongoDB wire protocol on SQLite); it uses only what real MongoDB supports.
import {
  type Collection,
  type Filter,
  MongoClient,
  MongoClientClosedError,
  type MongoClientOptions,
  MongoError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  ObjectId,
  type Sort,
} from "mongodb";
import { ID_PATTERN } from "../../todos/id";
import { ORDER_FIELDS, type OrderField, type State, type TodoFields, type TodoRecord } from "../../todos/model";
import {
  AlreadyExistsError,
  type Change,
  NotFoundError,
  type SearchPage,
  type SearchQuery,
  StoreUnavailableError,
  type TodoStore,
  VersionMismatchError,
} from "../store";
import { redactUrl, scrub, secretsOf } from "./redact";

export interface MongoStoreOptions {
  /** A MongoDB connection string (mongodb:// or mongodb+srv://). */
  url: string;
  /** Database when the URL's path names none (MONGO_DB); default `todo`. */
  database?: string;
  /** How long a call waits for a reachable server before failing with StoreUnavailableError. Default 2 s. */
  serverSelectionTimeoutMS?: number;
  /** Server-side time limit of one search (a costly regex runs on MongoDB). Default 5 s. */
  searchTimeoutMS?: number;
  /** Longest a call may take before it fails with StoreUnavailableError (searches: plus searchTimeoutMS). Default serverSelectionTimeoutMS + 1 s. */
  callTimeoutMS?: number;
  /**
   * Longest a ping (the readiness check) waits before it answers StoreUnavailableError with the cause
   * the driver last saw. Default 1.5 s: within the 2 s readiness allows (src/server/health.ts).
   */
  pingTimeoutMS?: number;
  /** Receives the problems no call reports (indexes that cannot be created), for the daemon's log. */
  warn?: (message: string) => void;
}

interface TodoDocument {
  _id: ObjectId;
  title: string;
  description: string;
  tags: string[];
  reminder: Date | null;
  state: State;
  create_time: Date;
  update_time: Date;
  version: number;
}

export const COLLECTION = "todos";
const DEFAULT_DATABASE = "todo";

/**
 * The indexes, created at start and on every open (createIndexes is a no-op for an identical index).
 * One (field, _id) index per search order serves both directions and keyset pages; its prefix also
 * serves filters on reminder and update_time, so those need no single-field index of their own.
 */
export const INDEXES: { name: string; key: Record<string, 1> }[] = [
  { name: "state", key: { state: 1 } },
  { name: "tags", key: { tags: 1 } },
  ...ORDER_FIELDS.map((field) => ({ name: `${field}__id`, key: { [field]: 1 as const, _id: 1 as const } })),
];

/** Server error codes that mean "not serving now" (shutting down, stepping down, interrupted, overloaded). */
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 462]);
const DUPLICATE_KEY = 11000;
const MAX_TIME_EXPIRED = 50;
const AUTHENTICATION_FAILED = 18;

function toRecord(doc: TodoDocument): TodoRecord {
  return {
    id: doc._id.toHexString(),
    title: doc.title,
    description: doc.description,
    tags: doc.tags,
    reminder: doc.reminder ? doc.reminder.getTime() : null,
    state: doc.state,
    createTime: doc.create_time.getTime(),
    updateTime: doc.update_time.getTime(),
    version: doc.version,
  };
}

/** The document fields for (some of) a todo's user fields. */
function toFields(fields: Partial<TodoFields>): Partial<TodoDocument> {
  const doc: Partial<TodoDocument> = {};
  if (fields.title !== undefined) doc.title = fields.title;
  if (fields.description !== undefined) doc.description = fields.description;
  if (fields.tags !== undefined) doc.tags = fields.tags;
  if (fields.reminder !== undefined) doc.reminder = fields.reminder === null ? null : new Date(fields.reminder);
  if (fields.state !== undefined) doc.state = fields.state;
  return doc;
}

/** The ObjectId for a todo id, or null when it cannot be one (then no todo has it). */
function objectId(id: string): ObjectId | null {
  return ID_PATTERN.test(id) ? ObjectId.createFromHexString(id) : null;
}

/** A sort key as stored: times are Dates, titles strings, a missing reminder null. */
function storedKey(field: OrderField, key: string | number | null): string | Date | null {
  if (key === null) return null;
  return field === "title" ? String(key) : new Date(key);
}

/** The URL's database path, if it has one. */
function databaseInUrl(url: string): string | undefined {
  const rest = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, "");
  const path = /^[^/?]*\/([^?]+)/.exec(rest.slice(rest.lastIndexOf("@") + 1))?.[1];
  return path ? decodeURIComponent(path) : undefined;
}

export class MongoStore implements TodoStore {
  private readonly clientOptions: MongoClientOptions = { appName: "todo" };
  private readonly database: string;
  private client!: MongoClient;
  private todos!: Collection<TodoDocument>;
  private readonly secrets: string[];
  private readonly callTimeoutMS: number;
  private readonly searchTimeoutMS: number;
  private readonly pingTimeoutMS: number;
  /**
   * Why the driver last could not use the server (a StoreUnavailableError's message), or null since it
   * last could: what a ping that cannot wait for server selection reports.
   */
  private unreachable: string | null = null;
  /** The connection of the current client: in flight or done; reset after a failure. */
  private connected: Promise<void> | null = null;
  /** Index creation: in flight, done, or failed for good; reset after a transient failure. */
  private indexed: Promise<void> | null = null;
  /** The last queued write per todo id (see `serialized`). */
  private readonly writes = new Map<string, Promise<unknown>>();
  /** Where the store keeps its data, with the password redacted, for logs. */
  readonly description: string;

  /**
   * Opens a store without waiting for MongoDB: connecting and creating the indexes start in the
   * background and are retried by later calls. Throws only for a connection string the driver rejects.
   */
  static open(options: MongoStoreOptions): MongoStore {
    const store = new MongoStore(options);
    store.prepare().catch(() => {}); // calls report the failure, if it lasts
    return store;
  }

  private constructor(private readonly options: MongoStoreOptions) {
    this.secrets = secretsOf(options.url);
    // Options in the URL win over our defaults (the driver lets the options object win, so omit them).
    const inUrl = (name: string) => new RegExp(`[?&]${name}=`, "i").test(options.url);
    const serverSelectionTimeoutMS = options.serverSelectionTimeoutMS ?? (inUrl("serverSelectionTimeoutMS") ? undefined : 2000);
    if (serverSelectionTimeoutMS !== undefined) this.clientOptions.serverSelectionTimeoutMS = serverSelectionTimeoutMS;
    if (!inUrl("connectTimeoutMS")) this.clientOptions.connectTimeoutMS = 5000;
    this.callTimeoutMS = options.callTimeoutMS ?? (serverSelectionTimeoutMS ?? 30_000) + 1000;
    this.searchTimeoutMS = options.searchTimeoutMS ?? 5000;
    this.pingTimeoutMS = options.pingTimeoutMS ?? 1500;
    this.database = databaseInUrl(options.url) || options.database || DEFAULT_DATABASE;
    try {
      this.attach();
    } catch (e) {
      throw new Error(`MONGO_URL is not a usable MongoDB connection string (${redactUrl(options.url)}): ${this.scrub((e as Error).message)}`);
    }
    this.description = `mongodb ${redactUrl(options.url)} database ${this.database}`;
  }

  /** A new client (it connects on first use) and the collection through it. */
  private attach() {
    const client = new MongoClient(this.options.url, this.clientOptions);
    // The driver describes the server from its monitor's checks (every 500 ms while a call waits for
    // it) and from failed calls: a description with an error says why it cannot be used. What it last
    // said outlives a replaced client: it stays true until the server is described without an error.
    client.on("serverDescriptionChanged", ({ newDescription }) => {
      if (this.client !== client) return;
      if (!newDescription.error) {
        if (newDescription.type !== "Unknown") this.unreachable = null;
        return;
      }
      const meant = this.meaning(newDescription.error);
      this.unreachable =
        meant instanceof StoreUnavailableError ? meant.message : `MongoDB at ${redactUrl(this.options.url)} cannot be used (${this.scrub(String((meant as Error)?.message))})`;
    });
    this.client = client;
    this.todos = this.client.db(this.database).collection<TodoDocument>(COLLECTION);
    this.connected = null;
  }

  /** Replaces `client` (if still current) with a new one, and closes it. */
  private replace(client: MongoClient) {
    if (this.client !== client) return;
    this.attach();
    void client.close().catch(() => {});
  }

  private scrub(text: string): string {
    return scrub(text, this.options.url, this.secrets);
  }

  /** Rethrows a driver error as the store error it means, with any secret removed. */
  private translate(error: unknown): never {
    if (!(error instanceof MongoError)) throw error;
    const message = this.scrub(error.message);
    const unavailable = (what: string) => new StoreUnavailableError(`MongoDB at ${redactUrl(this.options.url)} ${what}`);
    if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError) {
      // The OS error (ECONNREFUSED, ENOTFOUND, …) says it all; the driver's sentence around it does not.
      const cause = /\b(E[A-Z]{3,})\b/.exec(message)?.[1] ?? message;
      throw unavailable(`cannot be reached (${cause}); the daemon retries by itself`);
    }
    if (error instanceof MongoServerError) {
      if (error.code === AUTHENTICATION_FAILED) throw unavailable(`refused the credentials in MONGO_URL (${message}); check the user and password`);
      if (error.code === MAX_TIME_EXPIRED) throw unavailable(`did not finish the search within ${this.searchTimeoutMS} ms; narrow the pattern or filters`);
      if (UNAVAILABLE_CODES.has(error.code as number)) throw unavailable(`cannot serve now (${message})`);
    }
    // Transient failures the driver labels (pool cleared, connection closed mid-call), and calls that
    // were in flight on a client the store replaced.
    if (
      error.hasErrorLabel("RetryableWriteError") ||
      error.hasErrorLabel("ResetPool") ||
      error.hasErrorLabel("PoolRequestedRetry") ||
      error instanceof MongoTopologyClosedError ||
      error instanceof MongoClientClosedError
    )
      throw unavailable(`cannot serve now (${message})`);
    error.message = message;
    throw error;
  }

  /** The store error a driver error means: what `translate` throws, returned. */
  private meaning(error: unknown): unknown {
    try {
      this.translate(error);
    } catch (e) {
      return e;
    }
  }

  /** Connects the current client, once per client. */
  private connect(): Promise<void> {
    if (!this.connected) {
      const client = this.client;
      this.connected = client.connect().then(
        () => undefined,
        (e) => {
          // Driver 7.9 keeps the closed topology of a failed first connect, so every later call on that
          // client fails with "Topology is closed". A new client connects once MongoDB is back. (After a
          // successful connect the driver reconnects by itself.)
          this.replace(client);
          throw e;
        },
      );
    }
    return this.connected;
  }

  /**
   * Creates the indexes (idempotent). While MongoDB is unreachable the next call tries again; any other
   * failure (say, an index of the same name with other keys) is final and reported once through `warn`:
   * searches still work, only slower.
   */
  private ensureIndexes(): Promise<void> {
    if (!this.indexed) {
      this.indexed = (async () => {
        // One index per command: FerretDB 1.24 panics on a createIndexes batch in which several indexes
        // already exist (FerretDB issue 3858); MongoDB takes either form.
        for (const { name, key } of INDEXES) await this.todos.createIndex(key, { name });
      })().catch((e) => {
        try {
          this.translate(e);
        } catch (error) {
          if (error instanceof StoreUnavailableError) this.indexed = null;
          else this.options.warn?.(`cannot create the indexes of ${this.database}.${COLLECTION}: ${(error as Error).message}`);
          throw error;
        }
      });
    }
    return this.indexed;
  }

  /** Connects and creates the indexes. Calls do this themselves; awaiting it tells whether it worked. */
  async prepare(): Promise<void> {
    try {
      await this.connect();
    } catch (e) {
      this.translate(e);
    }
    await this.ensureIndexes();
  }

  /**
   * Runs one call against MongoDB, answering StoreUnavailableError if it has not finished within
   * `limitMS`. The limit is a safety net, not the usual path: the driver reports an unreachable server
   * after serverSelectionTimeoutMS. But driver 7.9 can wait forever on a connection whose socket closed
   * just as the call began (its write waits for a 'drain' that never comes); the store then replaces
   * the client, so the lost connection cannot pin a slot of the pool.
   */
  private async run<T>(operation: () => Promise<T>, limitMS = this.callTimeoutMS): Promise<T> {
    const client = this.client;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<"expired">((resolve) => {
      timer = setTimeout(() => resolve("expired"), limitMS);
    });
    const call = (async () => {
      await this.connect();
      // Index creation runs beside the calls; they do not need it to be right, only fast.
      this.ensureIndexes().catch(() => {});
      return { value: await operation() };
    })();
    try {
      const outcome = await Promise.race([call, expired]);
      if (outcome === "expired") {
        this.replace(client);
        throw new StoreUnavailableError(`MongoDB at ${redactUrl(this.options.url)} did not answer within ${limitMS} ms; the daemon retries with a new connection`);
      }
      return outcome.value;
    } catch (e) {
      // A call cut short because the store replaced its client after a failure reports that failure.
      if (client !== this.client && (e instanceof MongoTopologyClosedError || e instanceof MongoClientClosedError) && this.unreachable)
        throw new StoreUnavailableError(this.unreachable);
      return this.translate(e);
    } finally {
      clearTimeout(timer);
    }
  }

  async create(fields: TodoFields, id?: string): Promise<Change> {
    const _id = id === undefined ? new ObjectId() : objectId(id);
    // The domain only passes well-formed ids; one that cannot be an ObjectId cannot be kept.
    if (!_id) throw new Error(`cannot keep id "${id}": MongoDB ids are 24 hex digits`);
    return this.run(async () => {
      const now = new Date();
      const doc: TodoDocument = { _id, ...(toFields(fields) as Omit<TodoDocument, "_id">), create_time: now, update_time: now, version: 1 };
      try {
        await this.todos.insertOne(doc);
      } catch (e) {
        if (e instanceof MongoServerError && e.code === DUPLICATE_KEY && id !== undefined) throw new AlreadyExistsError(id);
        throw e;
      }
      const todo = toRecord(doc);
      return { kind: "created", todoId: todo.id, version: 1, time: now.getTime(), todo };
    });
  }

  async get(id: string): Promise<TodoRecord | null> {
    const _id = objectId(id);
    if (!_id) return null;
    return this.run(async () => {
      const doc = await this.todos.findOne({ _id });
      return doc ? toRecord(doc) : null;
    });
  }

  /**
   * Runs this process's writes to one todo one after another. Real MongoDB does not need this: its
   * findAndModify is atomic, so the {_id, version} filter alone lets exactly one of N concurrent writers
   * win, across any number of daemons. FerretDB 1.x implements findAndModify as a read then a write
   * (two writers can both match version n), so without this a single daemon on FerretDB would lose
   * updates; several daemons sharing one FerretDB still can.
   */
  private serialized<T>(id: string, write: () => Promise<T>): Promise<T> {
    const result = (this.writes.get(id) ?? Promise.resolve()).then(write);
    const settled = result.catch(() => {});
    this.writes.set(id, settled);
    void settled.then(() => {
      if (this.writes.get(id) === settled) this.writes.delete(id);
    });
    return result;
  }

  /** After a conditional write matched nothing: NotFound, or a version mismatch if the todo exists. */
  private async missed(id: string, _id: ObjectId): Promise<never> {
    if (await this.todos.findOne({ _id }, { projection: { _id: 1 } })) throw new VersionMismatchError(id);
    throw new NotFoundError(id);
  }

  async update(id: string, fields: Partial<TodoFields>, expectedVersion?: number): Promise<Change> {
    const _id = objectId(id);
    if (!_id) throw new NotFoundError(id);
    const filter: Filter<TodoDocument> = expectedVersion === undefined ? { _id } : { _id, version: expectedVersion };
    return this.serialized(id, () => this.run(async () => {
      const now = new Date();
      // One atomic findAndModify: the version check, the write and the version bump cannot interleave
      // with another writer's, so of N writers holding the same version exactly one matches.
      const doc = await this.todos.findOneAndUpdate(
        filter,
        { $set: { ...toFields(fields), update_time: now }, $inc: { version: 1 } },
        { returnDocument: "after" },
      );
      if (!doc) return this.missed(id, _id);
      const todo = toRecord(doc);
      return { kind: "updated", todoId: id, version: todo.version, time: now.getTime(), todo };
    }));
  }

  async delete(id: string, expectedVersion?: number): Promise<Change> {
    const _id = objectId(id);
    if (!_id) throw new NotFoundError(id);
    const filter: Filter<TodoDocument> = expectedVersion === undefined ? { _id } : { _id, version: expectedVersion };
    return this.serialized(id, () => this.run(async () => {
      const doc = await this.todos.findOneAndDelete(filter);
      if (!doc) return this.missed(id, _id);
      const todo = toRecord(doc);
      return { kind: "deleted", todoId: id, version: todo.version + 1, time: Date.now(), todo };
    }));
  }

  async search(query: SearchQuery): Promise<SearchPage> {
    const field = query.order.field;
    const conditions: Filter<TodoDocument>[] = [];
    if (query.pattern) {
      // $regex is PCRE on MongoDB; the domain validates patterns as RE2, whose syntax PCRE accepts with
      // the same meaning for everything RE2 allows. (FerretDB evaluates $regex with Go's RE2.)
      const fields = query.patternFields ?? (["title", "description"] as const);
      conditions.push({ $or: fields.map((f) => ({ [f]: { $regex: query.pattern } })) });
    }
    if (query.tags.length) conditions.push({ tags: { $all: query.tags } });
    if (query.states.length) conditions.push({ state: { $in: query.states } });
    const reminder: { $gte?: Date; $lt?: Date } = {};
    if (query.reminderAfter !== undefined) reminder.$gte = new Date(query.reminderAfter);
    if (query.reminderBefore !== undefined) reminder.$lt = new Date(query.reminderBefore);
    if (Object.keys(reminder).length) conditions.push({ reminder });
    if (query.after) conditions.push(this.keyset(field, query.order.descending, query.after));
    const direction = query.order.descending ? -1 : 1;
    const sort: Sort = { [field]: direction, _id: direction };
    return this.run(async () => {
      const docs = await this.todos
        .find(conditions.length ? { $and: conditions } : {}, { maxTimeMS: this.searchTimeoutMS })
        .sort(sort)
        .limit(query.limit + 1)
        .toArray();
      return { todos: docs.slice(0, query.limit).map(toRecord), more: docs.length > query.limit };
    }, this.callTimeoutMS + this.searchTimeoutMS);
  }

  /**
   * Documents strictly after `after` in (field, _id) order. MongoDB sorts null before every Date and
   * string, so nulls come first ascending and last descending, as the contract wants; comparisons like
   * $gt on a Date never match null (type bracketing), hence the explicit null branches.
   */
  private keyset(field: OrderField, descending: boolean, after: NonNullable<SearchQuery["after"]>): Filter<TodoDocument> {
    const _id = objectId(after.id) ?? new ObjectId("000000000000000000000000");
    const key = storedKey(field, after.key);
    const cmp = descending ? "$lt" : "$gt";
    if (key === null)
      return descending ? { [field]: null, _id: { $lt: _id } } : { $or: [{ [field]: { $ne: null } }, { [field]: null, _id: { $gt: _id } }] };
    const branches: Filter<TodoDocument>[] = [{ [field]: { [cmp]: key } }, { [field]: key, _id: { [cmp]: _id } }];
    if (descending) branches.push({ [field]: null });
    return { $or: branches };
  }

  /**
   * Resolves when MongoDB answers a ping. While it is down, server selection alone waits
   * serverSelectionTimeoutMS (2 s) before the driver names the cause, which is as long as readiness
   * waits; so after pingTimeoutMS the ping answers with the cause the driver saw (ECONNREFUSED, …), or
   * says it had no answer. The ping goes on: its server selection makes the monitor check again, so
   * readiness follows MongoDB's return within a check.
   */
  async ping(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailableError(this.unreachable ?? `MongoDB at ${redactUrl(this.options.url)} did not answer a ping within ${this.pingTimeoutMS} ms`)),
        this.pingTimeoutMS,
      );
    });
    try {
      await Promise.race([this.run(() => this.todos.db.command({ ping: 1 })), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
