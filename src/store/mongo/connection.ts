// The MongoDB store's connection: the client (connected lazily, replaced after a failed first connect),
// its collections and indexes, and every call's time limit (`run`): a call past it, or whose write went
// unanswered, fails with UnavailableError or OutcomeUnknownError; other driver errors are translated
// by errors.ts.
import {
  type Collection,
  MongoClient,
  MongoClientClosedError,
  type MongoClientOptions,
  MongoError,
  MongoServerError,
  MongoTopologyClosedError,
} from "mongodb";
import { OutcomeUnknownError, UnavailableError } from "../../todos/errors";
import { redactUrl, scrub, secretsOf } from "../../secrets/redact";
import { translateError } from "./errors";
import { createMissingIndexes } from "./indexes";
import { lingerInTurn } from "./turns";
import { type ClaimDocument, Claims, CLAIMS } from "./claims";
import { COLLECTION, type EventDocument, EVENTS, INDEXES, LEGACY_LOG_INDEX, LOG_HEAD, LOG_INDEXES, NUMBER_INDEX, type NumberDocument, NUMBERS, type StoredDocument } from "./documents";

/**
 * Connections (so commands at once) per store unless MONGO_URL sets maxPoolSize; the driver's default is
 * 100. FerretDB 1.24 gives a database 100 SQLite connections, and an update statement holds one until
 * its whole command ends while it needs another to write: about 100 statements at once on one database
 * (8 bulks of 20 updates were enough) wait for each other for good (docs/events.md). 24 commands and
 * one sequencing bulk of 20 keep a daemon near 45, and leave room for a second.
 */
const POOL_SIZE = 24;

export interface MongoStoreOptions {
  /** A MongoDB connection string (mongodb:// or mongodb+srv://). */
  url: string;
  /** Database when the URL's path names none (MONGO_DB); default `todo`. */
  database?: string;
  /** How long a call waits for a reachable server before failing with UnavailableError. Default 2 s. */
  serverSelectionTimeoutMS?: number;
  /** Server-side time limit (maxTimeMS) of one search: a costly regex runs on MongoDB; past it, SearchBudgetError. Default 5 s. */
  searchTimeoutMS?: number;
  /** Longest a call may take before it fails with UnavailableError (searches: plus searchTimeoutMS). Default serverSelectionTimeoutMS + 1 s. */
  callTimeoutMS?: number;
  /**
   * Longest a ping (the readiness check) waits before it answers UnavailableError with the cause
   * the driver last saw. Default 1.5 s: within the 2 s readiness allows (src/server/health.ts).
   */
  pingTimeoutMS?: number;
  /** Receives the problems no call reports (indexes that cannot be created), for the daemon's log. */
  warn?: (message: string) => void;
  /**
   * Asks the store to look for the original todod's todos (see original-data.ts) and tell their count
   * here while its own collection is empty (0 otherwise), for the daemon's metric; `warn` says so once.
   */
  originalTodos?: (count: number) => void;
  /** Told the name of each command the store starts on MongoDB (for todo_mongo_commands_total). */
  commandStarted?: (command: string) => void;
}

const DEFAULT_DATABASE = "todo";
const INDEX_NOT_FOUND = 27;
/** The time limit of one call of sequencing (see `background`). */
const BACKGROUND_CALL_MS = 30_000;

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

/**
 * Whether a call has sent a write: after that, a failure without the server's answer is an unknown
 * outcome. A call that has given up (past its limit, having sent nothing) sends nothing more, so
 * UnavailableError ("nothing was written") stays true however late the rest of it runs.
 */
export class WriteTracker {
  sent = false;
  abandoned = false;

  /** Call before each command: a call that gave up does no more work (its caller has its answer). */
  going() {
    if (this.abandoned) throw new UnavailableError("the call gave up");
  }

  /** Call right before sending a write command. */
  sending() {
    this.going();
    this.sent = true;
  }
}

/** The client and its collections, and how each call runs on them (see `run`). */
export class MongoConnection {
  private readonly clientOptions: MongoClientOptions = { appName: "todo" };
  readonly database: string;
  /** The current client and its collections: replaced after a failed first connect (see `connect`). */
  client!: MongoClient;
  todos!: Collection<StoredDocument>;
  events!: Collection<EventDocument>;
  logHead!: Collection<{ _id: string; position: number }>;
  numbers!: Collection<NumberDocument>;
  /** The claims of documents' next changes (claims.ts). */
  claimed!: Collection<ClaimDocument>;
  /** The one way a todo's document changes after its insert (claims.ts). */
  readonly claims = new Claims(() => this.claimed);
  private readonly secrets: string[];
  readonly callTimeoutMS: number;
  readonly searchTimeoutMS: number;
  private readonly pingTimeoutMS: number;
  /**
   * Why the driver last could not use the server (a UnavailableError's message), or null since it
   * last could: what a ping that cannot wait for server selection reports.
   */
  private unreachable: string | null = null;
  /** The connection of the current client: in flight or done; reset after a failure. */
  private connected: Promise<void> | null = null;
  /** Index creation: in flight, done, or failed for good; reset after a transient failure. */
  private indexed: Promise<void> | null = null;
  /** The log's unique indexes: in flight or done; reset after any failure (sequencing waits for them). */
  private logIndexed: Promise<void> | null = null;
  /** MongoDB commands this store's clients started, by command name (driver command monitoring). */
  private readonly commands = new Map<string, number>();
  /** Set when the store closes: a pass still running stops at its next step. */
  closed = false;
  /** Where the store keeps its data, with the password redacted, for logs. */
  readonly description: string;

  constructor(readonly options: MongoStoreOptions) {
    this.secrets = secretsOf(options.url);
    // Options in the URL win over our defaults (the driver lets the options object win, so omit them).
    const inUrl = (name: string) => new RegExp(`[?&]${name}=`, "i").test(options.url);
    const serverSelectionTimeoutMS = options.serverSelectionTimeoutMS ?? (inUrl("serverSelectionTimeoutMS") ? undefined : 2000);
    if (serverSelectionTimeoutMS !== undefined) this.clientOptions.serverSelectionTimeoutMS = serverSelectionTimeoutMS;
    if (!inUrl("connectTimeoutMS")) this.clientOptions.connectTimeoutMS = 5000;
    if (!inUrl("maxPoolSize")) this.clientOptions.maxPoolSize = POOL_SIZE;
    this.callTimeoutMS = options.callTimeoutMS ?? (serverSelectionTimeoutMS ?? 30_000) + 1000;
    this.searchTimeoutMS = options.searchTimeoutMS ?? 5000;
    // Closes a connection silent for longer than any call may take (see `run`); never a live call's.
    if (!inUrl("socketTimeoutMS")) this.clientOptions.socketTimeoutMS = 2 * (this.callTimeoutMS + this.searchTimeoutMS);
    this.pingTimeoutMS = options.pingTimeoutMS ?? 1500;
    // Counts the commands (the metric todo_mongo_commands_total; bounded sequencing is tested on it).
    this.clientOptions.monitorCommands = true;
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
        meant instanceof UnavailableError ? meant.message : `MongoDB at ${redactUrl(this.options.url)} cannot be used (${this.scrub(String((meant as Error)?.message))})`;
    });
    client.on("commandStarted", ({ commandName }) => {
      this.commands.set(commandName, (this.commands.get(commandName) ?? 0) + 1);
      this.options.commandStarted?.(commandName);
    });
    this.client = client;
    this.todos = this.client.db(this.database).collection<StoredDocument>(COLLECTION);
    this.events = this.client.db(this.database).collection<EventDocument>(EVENTS);
    this.logHead = this.client.db(this.database).collection(LOG_HEAD);
    this.numbers = this.client.db(this.database).collection(NUMBERS);
    this.claimed = this.client.db(this.database).collection(CLAIMS);
    this.connected = null;
  }

  /** Replaces `client` (if still current) with a new one, and closes it. */
  private replace(client: MongoClient) {
    if (this.client !== client) return;
    this.attach();
    void client.close().catch(() => {});
  }

  scrub(text: string): string {
    return scrub(text, this.options.url, this.secrets);
  }

  /** Rethrows a driver error as the store error it means, with any secret removed. */
  translate(error: unknown): never {
    return translateError(error, { url: this.options.url, scrub: (text) => this.scrub(text), searchTimeoutMS: this.searchTimeoutMS });
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
  connect(): Promise<void> {
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
  ensureIndexes(): Promise<void> {
    if (!this.indexed) {
      this.indexed = (async () => {
        await createMissingIndexes(this.todos, INDEXES);
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

  /** The log's unique indexes (idempotent), one per command like the others; retried after any failure. */
  ensureLogIndexes(): Promise<void> {
    if (!this.logIndexed) {
      const indexed = (async () => {
        const existing = await createMissingIndexes(this.events, LOG_INDEXES);
        await createMissingIndexes(this.numbers, [NUMBER_INDEX]);
        // The replacement holds every write's uniqueness, so the old index can go (once; later opens find none).
        if (existing.has(LEGACY_LOG_INDEX))
          await this.events.dropIndex(LEGACY_LOG_INDEX).catch((e) => {
            if (!(e instanceof MongoServerError && (e.code === INDEX_NOT_FOUND || e.codeName === "IndexNotFound"))) throw e;
          });
      })();
      this.logIndexed = indexed;
      indexed.catch(() => {
        if (this.logIndexed === indexed) this.logIndexed = null;
      });
    }
    return this.logIndexed;
  }

  /** Connects and creates the indexes. Calls do this themselves; awaiting it tells whether it worked. */
  async prepare(): Promise<void> {
    try {
      await this.connect();
      await this.ensureLogIndexes();
    } catch (e) {
      this.translate(e);
    }
    await this.ensureIndexes();
  }

  /**
   * Runs one call against MongoDB, failing it if it has not finished within `limitMS`: a read with
   * UnavailableError (nothing changed, retry is safe), a write with OutcomeUnknownError (it may have been
   * applied). A call that passes its limit fails alone: the shared client stays, so the other calls in
   * flight on it go on (replacing it failed every one of them: "client was closed", "session that has
   * ended"). The late call sends no further command (WriteTracker); the one it waits on may still end in
   * the background, and a connection whose socket stays silent is closed by the driver after
   * socketTimeoutMS, which fails only the call on that connection. (A command written as its socket
   * closed waited for good, socketTimeoutMS or not, until patches/mongodb@7.9.0.patch: Bun's net.)
   */
  async run<T>(operation: (write: WriteTracker) => Promise<T>, limitMS = this.callTimeoutMS): Promise<T> {
    const write = new WriteTracker();
    const client = this.client;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<"expired">((resolve) => {
      timer = setTimeout(() => resolve("expired"), limitMS);
    });
    const call = (async () => {
      await this.connect();
      // Index creation runs beside the calls; they do not need it to be right, only fast.
      this.ensureIndexes().catch(() => {});
      write.going();
      return { value: await operation(write) };
    })();
    try {
      const outcome = await Promise.race([call, expired]);
      if (outcome === "expired") {
        call.catch(() => {}); // its late failure is nobody's to report
        lingerInTurn(call);
        write.abandoned = true;
        const what = `MongoDB at ${redactUrl(this.options.url)} did not answer within ${limitMS} ms`;
        if (write.sent) throw new OutcomeUnknownError(true, what);
        throw new UnavailableError(`${what}; the daemon keeps trying`);
      }
      return outcome.value;
    } catch (e) {
      if (e instanceof OutcomeUnknownError || e instanceof UnavailableError) throw e;
      // A call cut short because the store replaced its client after a failed connect reports that failure.
      if (client !== this.client && (e instanceof MongoTopologyClosedError || e instanceof MongoClientClosedError) && this.unreachable)
        throw new UnavailableError(this.unreachable);
      // A write sent and not answered by the server (the connection broke, the pool was cleared under it)
      // may have been applied: never "retry is safe". An error the server answered is definite.
      if (write.sent && e instanceof MongoError && !(e instanceof MongoServerError))
        throw new OutcomeUnknownError(false, `MongoDB at ${redactUrl(this.options.url)} did not answer the write (${this.scrub(e.message)})`);
      return this.translate(e);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs a call of sequencing (see `run`) with a longer limit: nobody waits for it, and on a loaded
   * FerretDB its scans take seconds; past callTimeoutMS a pass would only fail and start over.
   */
  background<T>(operation: (write: WriteTracker) => Promise<T>): Promise<T> {
    return this.run(operation, Math.max(this.callTimeoutMS, BACKGROUND_CALL_MS));
  }

  /** MongoDB commands this store started, by name, since it opened. */
  commandsStarted(): Record<string, number> {
    return Object.fromEntries(this.commands);
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
        () => reject(new UnavailableError(this.unreachable ?? `MongoDB at ${redactUrl(this.options.url)} did not answer a ping within ${this.pingTimeoutMS} ms`)),
        this.pingTimeoutMS,
      );
    });
    try {
      await Promise.race([this.run(() => this.todos.db.command({ ping: 1 })), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Marks the store closed (a pass still running stops at its next step) and closes the client (a call of it in flight fails). */
  async close(): Promise<void> {
    this.closed = true;
    await this.client.close();
  }
}
