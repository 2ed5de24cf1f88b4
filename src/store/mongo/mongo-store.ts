// The MongoDB store: one document per todo in the `todos` collection, `_id` an ObjectId whose hex is the
// todo's id, `version` in the document so optimistic concurrency is a filter on {_id, version} that
// MongoDB applies atomically. Searches run on the server (regex, $all, $in, keyset pages on an index).
// The client connects lazily and the driver reconnects by itself, so the daemon starts while MongoDB is
// down and recovers when it returns; meanwhile every call fails fast with UnavailableError.
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
import { ORDER_FIELDS, type OrderField, type State, STATES, type TodoFields, type TodoRecord } from "../../todos/model";
import { AlreadyExistsError, NotFoundError, UnavailableError, UnreadableTodoError, VersionMismatchError } from "../../todos/errors";
import type { Change, SearchPage, SearchQuery, TodoStore } from "../../todos/ports";
import { ORIGINAL_STATES, originalTodosWaiting, REMINDER_SECONDS, watchOriginalTodos } from "./original-data";
import { redactUrl, scrub, secretsOf } from "./redact";

export interface MongoStoreOptions {
  /** A MongoDB connection string (mongodb:// or mongodb+srv://). */
  url: string;
  /** Database when the URL's path names none (MONGO_DB); default `todo`. */
  database?: string;
  /** How long a call waits for a reachable server before failing with UnavailableError. Default 2 s. */
  serverSelectionTimeoutMS?: number;
  /** Server-side time limit of one search (a costly regex runs on MongoDB). Default 5 s. */
  searchTimeoutMS?: number;
  /** Longest a call may take before it fails with UnavailableError (searches: plus searchTimeoutMS). Default serverSelectionTimeoutMS + 1 s. */
  callTimeoutMS?: number;
  /** Receives the problems no call reports (indexes that cannot be created), for the daemon's log. */
  warn?: (message: string) => void;
  /**
   * Asks the store to look for the original todod's todos (see original-data.ts) and tell their count
   * here while its own collection is empty (0 otherwise), for the daemon's metric; `warn` says so once.
   */
  originalTodos?: (count: number) => void;
}

/** A todo as this store writes it. Documents of other shapes may be found too: see `toRecord`. */
export interface TodoDocument {
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

/** A stored value's kind, for an error about it. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a date";
  if (typeof value === "object") return `a ${(value as { _bsontype?: string })._bsontype ?? "document"}`;
  return `a ${typeof value} (${JSON.stringify(value)?.slice(0, 40)})`;
}

/**
 * The todo a stored document holds. A document of another shape is read as far as it can be: the
 * original todod's (reminder in Unix seconds, 0 for none; states without the STATE_ prefix; tags null or
 * missing; no times, so the ObjectId's; no version, so 1), as copied into this collection by hand, and
 * missing text fields as empty. What cannot be read is an UnreadableTodoError naming the id and the
 * field, never a TypeError that would answer INTERNAL.
 */
export function toRecord(doc: TodoDocument): TodoRecord {
  const stored = doc as unknown as Record<string, unknown>;
  const _id = stored._id;
  if (!(_id instanceof ObjectId)) throw new UnreadableTodoError(String(_id), "_id", `is ${kindOf(_id)}, not an ObjectId`);
  const id = _id.toHexString();
  const unreadable = (field: string, reason: string): never => {
    throw new UnreadableTodoError(id, field, reason);
  };
  const text = (field: string): string => {
    const value = stored[field] ?? "";
    return typeof value === "string" ? value : unreadable(field, `is ${kindOf(value)}, not a string`);
  };
  const time = (field: string, otherwise: number): number => {
    const value = stored[field] ?? null;
    if (value === null) return otherwise;
    return value instanceof Date && !Number.isNaN(value.getTime()) ? value.getTime() : unreadable(field, `is ${kindOf(value)}, not a date`);
  };
  const tags = stored.tags ?? [];
  if (!Array.isArray(tags)) unreadable("tags", `is ${kindOf(tags)}, not an array of strings`);
  const notText = (tags as unknown[]).find((tag) => typeof tag !== "string");
  if (notText !== undefined) unreadable("tags", `holds ${kindOf(notText)}, not only strings`);
  const reminder = stored.reminder ?? null;
  let reminderMs: number | null;
  if (reminder === null || reminder === 0) reminderMs = null;
  else if (reminder instanceof Date && !Number.isNaN(reminder.getTime())) reminderMs = reminder.getTime();
  else if (typeof reminder === "number" && Number.isSafeInteger(reminder) && reminder >= REMINDER_SECONDS.min && reminder <= REMINDER_SECONDS.max) reminderMs = reminder * 1000;
  else reminderMs = unreadable("reminder", `is ${kindOf(reminder)}, neither a date nor Unix seconds within the years 1 to 9999`);
  const state = stored.state ?? "STATE_NOT_STARTED";
  const knownState = (STATES as readonly unknown[]).includes(state) ? (state as State) : ORIGINAL_STATES[state as string];
  if (!knownState) unreadable("state", `is ${kindOf(state)}, not one of ${STATES.join(", ")}`);
  const version = stored.version ?? 1;
  if (!(typeof version === "number" && Number.isSafeInteger(version) && version >= 1)) unreadable("version", `is ${kindOf(version)}, not a whole number from 1`);
  const createTime = time("create_time", _id.getTimestamp().getTime());
  return {
    id,
    title: text("title"),
    description: text("description"),
    tags: tags as string[],
    reminder: reminderMs,
    state: knownState!,
    createTime,
    updateTime: time("update_time", createTime),
    version: version as number,
  };
}

/** Whether a document is in the shape this store writes, rather than one `toRecord` merely tolerates. */
function inStoreShape(doc: TodoDocument): boolean {
  return (
    typeof doc.title === "string" &&
    typeof doc.description === "string" &&
    Array.isArray(doc.tags) &&
    (doc.reminder === null || doc.reminder instanceof Date) &&
    STATES.includes(doc.state) &&
    doc.create_time instanceof Date &&
    doc.update_time instanceof Date &&
    typeof doc.version === "number"
  );
}

/** A todo as this store writes it: the one place that knows the document's shape besides `toRecord`. */
export function toDocument(todo: TodoRecord): TodoDocument {
  return {
    _id: ObjectId.createFromHexString(todo.id),
    title: todo.title,
    description: todo.description,
    tags: todo.tags,
    reminder: todo.reminder === null ? null : new Date(todo.reminder),
    state: todo.state,
    create_time: new Date(todo.createTime),
    update_time: new Date(todo.updateTime),
    version: todo.version,
  };
}

/** How states are stored: this store's names, and the original todod's in documents copied by hand (none reads as NOT_STARTED). */
function storedStates(states: State[]): (string | null)[] {
  return states.flatMap((state) => [state, state.replace(/^STATE_/, ""), ...(state === "STATE_NOT_STARTED" ? [null] : [])]);
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

/** The database the store uses: the URL's, else `database` (MONGO_DB), else `todo`. */
export function storeDatabase(url: string, database?: string): string {
  return databaseInUrl(url) || database || DEFAULT_DATABASE;
}

export class MongoStore implements TodoStore {
  private readonly clientOptions: MongoClientOptions = { appName: "todo" };
  private readonly database: string;
  private client!: MongoClient;
  private todos!: Collection<TodoDocument>;
  private readonly secrets: string[];
  private readonly callTimeoutMS: number;
  private readonly searchTimeoutMS: number;
  /** The connection of the current client: in flight or done; reset after a failure. */
  private connected: Promise<void> | null = null;
  /** Index creation: in flight, done, or failed for good; reset after a transient failure. */
  private indexed: Promise<void> | null = null;
  /** The last queued write per todo id (see `serialized`). */
  private readonly writes = new Map<string, Promise<unknown>>();
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
    if (report)
      store.stopLookingForOriginal = watchOriginalTodos({
        count: () => store.run(() => originalTodosWaiting(store.client, store.todos)),
        report,
        warn: (message) => options.warn?.(message),
        collection: `${store.database}.${COLLECTION}`,
      });
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
    this.database = storeDatabase(options.url, options.database);
    try {
      this.attach();
    } catch (e) {
      throw new Error(`MONGO_URL is not a usable MongoDB connection string (${redactUrl(options.url)}): ${this.scrub((e as Error).message)}`);
    }
    this.description = `mongodb ${redactUrl(options.url)} database ${this.database}`;
  }

  /** A new client (it connects on first use) and the collection through it. */
  private attach() {
    this.client = new MongoClient(this.options.url, this.clientOptions);
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
    const unavailable = (what: string) => new UnavailableError(`MongoDB at ${redactUrl(this.options.url)} ${what}`);
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
          if (error instanceof UnavailableError) this.indexed = null;
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
   * Runs one call against MongoDB, answering UnavailableError if it has not finished within
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
        throw new UnavailableError(`MongoDB at ${redactUrl(this.options.url)} did not answer within ${limitMS} ms; the daemon retries with a new connection`);
      }
      return outcome.value;
    } catch (e) {
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

  /**
   * Runs before every write, so no write half-happens and then fails: a document this store cannot
   * read fails the write before anything changes (UnreadableTodoError), and one in a shape `toRecord`
   * only tolerates (the original todod's, copied by hand) is first rewritten in this store's shape,
   * unchanged as served (same fields, times and version), so the write then bumps a real version. The
   * rewrite is conditional on the version it read: if another writer got there first, it is theirs.
   * The price is one read by _id per write.
   */
  private async writable(_id: ObjectId): Promise<void> {
    const doc = await this.todos.findOne({ _id });
    if (!doc) return; // the write reports NotFound
    const todo = toRecord(doc);
    if (inStoreShape(doc)) return;
    const { _id: _, ...shaped } = toDocument(todo);
    const version = (doc as { version?: number }).version ?? null;
    await this.todos.updateOne({ _id, version: version as number }, { $set: shaped });
  }

  async update(id: string, fields: Partial<TodoFields>, expectedVersion?: number): Promise<Change> {
    const _id = objectId(id);
    if (!_id) throw new NotFoundError(id);
    const filter: Filter<TodoDocument> = expectedVersion === undefined ? { _id } : { _id, version: expectedVersion };
    return this.serialized(id, () => this.run(async () => {
      await this.writable(_id);
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
      await this.writable(_id);
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
    if (query.states.length) conditions.push({ state: { $in: storedStates(query.states) as State[] } });
    const reminder: { $gte?: Date; $lt?: Date } = {};
    if (query.reminderAfter !== undefined) reminder.$gte = new Date(query.reminderAfter);
    if (query.reminderBefore !== undefined) reminder.$lt = new Date(query.reminderBefore);
    if (Object.keys(reminder).length) conditions.push({ reminder });
    const direction = query.order.descending ? -1 : 1;
    const sort: Sort = { [field]: direction, _id: direction };
    return this.run(async () => {
      if (query.after) conditions.push(this.keyset(field, query.order.descending, query.after, await this.resumeKey(field, query.after)));
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
  private keyset(field: OrderField, descending: boolean, after: NonNullable<SearchQuery["after"]>, key: string | Date | null): Filter<TodoDocument> {
    const _id = objectId(after.id) ?? new ObjectId("000000000000000000000000");
    const cmp = descending ? "$lt" : "$gt";
    if (key === null)
      return descending ? { [field]: null, _id: { $lt: _id } } : { $or: [{ [field]: { $ne: null } }, { [field]: null, _id: { $gt: _id } }] };
    const branches: Filter<TodoDocument>[] = [{ [field]: { [cmp]: key } }, { [field]: key, _id: { [cmp]: _id } }];
    if (descending) branches.push({ [field]: null });
    return { $or: branches };
  }

  /**
   * The stored sort key of the todo a page resumes after. A document of the original's shape copied in
   * by hand has no create_time or update_time, which MongoDB sorts as null, while the page token holds
   * the time toRecord read from its ObjectId: resuming after that time would skip the rest of them. For
   * those orders the key is therefore what the document holds (one read by _id per page).
   */
  private async resumeKey(field: OrderField, after: NonNullable<SearchQuery["after"]>): Promise<string | Date | null> {
    const _id = objectId(after.id);
    if (_id && (field === "create_time" || field === "update_time")) {
      const doc = await this.todos.findOne({ _id }, { projection: { [field]: 1 } });
      if (doc && (doc as unknown as Record<string, unknown>)[field] == null) return null;
    }
    return storedKey(field, after.key);
  }

  async ping(): Promise<void> {
    await this.run(() => this.todos.db.command({ ping: 1 }));
  }

  async close(): Promise<void> {
    this.stopLookingForOriginal();
    await this.client.close();
  }
}
