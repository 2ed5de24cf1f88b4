// The application core: one function per use case, each taking the call's context. Every transport
// (todo.v1, the original v1.ToDoService, and whatever comes) decodes its request into these inputs and
// encodes what they return, so a rule is written once, here. Field names in errors are the domain's
// (title, tags, id, …); a transport renames them to its request's.
import type { CallContext } from "./context";
import { differingFields } from "./changes";
import { InvalidArgumentError, NotFoundError, OutOfRangeError, UnavailableError, VersionMismatchError } from "./errors";
import type { EventFeed, PatternField, SearchSpending, TodoEvent, TodoStore } from "./ports";
import { decodePageToken, encodePageToken } from "./page-token";
import type { State } from "../vocabulary/todo";
import type { TodoFields, TodoRecord } from "./model";
import { parseDescription, parseEtag, parseId, parseOrder, parsePageSize, parsePattern, parseState, parseTags, parseTime, parseTitle } from "./rules";
import { sortKey } from "./sort";

/** A todo's fields as a caller gives them; unchecked until a use case checks them. */
export interface TodoInput {
  title: string;
  description?: string;
  tags?: readonly string[];
  /** Milliseconds since the epoch; null or absent for none. */
  reminder?: number | null;
  /** Absent: NOT_STARTED. */
  state?: string;
}

export interface UpdateInput {
  id: string;
  /** Exactly the fields to replace; an absent field keeps its value. */
  fields: Partial<Omit<TodoInput, "state"> & { state: string }>;
  /** Fail with VersionMismatchError unless the todo still has this etag. */
  etag?: string;
}

export interface SearchInput {
  /** An RE2 pattern matched against `patternFields`. */
  pattern?: string;
  patternFields?: readonly PatternField[];
  /** Every one of these tags. */
  tags?: readonly string[];
  /** Any of these states. */
  states?: readonly string[];
  /** Reminder at or after, in milliseconds. */
  reminderAfter?: number;
  /** Reminder before, in milliseconds. */
  reminderBefore?: number;
  /** `field [desc]`; default creation order. */
  orderBy?: string;
  /** 0 or absent: the default page size. */
  pageSize?: number;
  pageToken?: string;
  /**
   * A page ends before its todos' encoded size passes `bytes` (a transport's message limit, less room
   * for the rest of the response), with a next page token: todos within the limits still fill only so
   * many a page. A page holds at least one todo, and the largest a todo can be is far below any budget.
   */
  budget?: { bytes: number; sizeOf: (todo: TodoRecord) => number };
  /** The store's search budget spent so far, when one call reads several pages (v1.ToDoService/Search); else the call's own. */
  spending?: SearchSpending;
}

/** Todos read from the store at a time: a page is assembled from chunks, so a call holds at most its budget and one chunk. */
const SEARCH_CHUNK = 100;

/** How often updateIfChanged compares and writes on that condition before it writes regardless. */
const COMPARE_ATTEMPTS = 5;

export interface SearchResult {
  todos: TodoRecord[];
  /** Empty when this is the last page. */
  nextPageToken: string;
}

function checkFields(input: UpdateInput["fields"]): Partial<TodoFields> {
  const fields: Partial<TodoFields> = {};
  if (input.title !== undefined) fields.title = parseTitle("title", input.title);
  if (input.description !== undefined) fields.description = parseDescription("description", input.description);
  if (input.tags !== undefined) fields.tags = parseTags("tags", input.tags);
  if (input.reminder !== undefined) fields.reminder = input.reminder === null ? null : parseTime("reminder", input.reminder);
  if (input.state !== undefined) fields.state = parseState("state", input.state);
  return fields;
}

export interface WatchInput {
  /** Events after this position; absent: from the log's head when the watch starts (only new events). */
  afterPosition?: number;
  /** Only these todos' events. */
  todoIds?: readonly string[];
  /** Only events whose todo carries any of these tags. */
  tags?: readonly string[];
  /** Only reminder_due events. */
  remindersOnly?: boolean;
}

export class TodoApp {
  constructor(
    private readonly store: TodoStore,
    /** Follows the log for watchers; absent where nothing watches (admin commands, tests). */
    private readonly feed?: EventFeed,
  ) {}

  /**
   * Where the watch starts (`after`), and the log's events matching the filters in position order: those
   * after the start, then each new one as it is committed, until the call is cancelled or the feed closes.
   */
  async watch(ctx: CallContext, input: WatchInput): Promise<{ after: number; events: AsyncIterable<TodoEvent> }> {
    if (!this.feed) throw new UnavailableError("this process does not serve watches");
    const ids = new Set((input.todoIds ?? []).map((id) => parseId("todo_ids", id)));
    const tags = new Set(input.tags?.length ? parseTags("tags", input.tags) : []);
    if (input.afterPosition !== undefined && !(Number.isSafeInteger(input.afterPosition) && input.afterPosition >= 0))
      throw new InvalidArgumentError("after_position", `must be a position from 0 on, got ${input.afterPosition}`);
    const head = await this.store.headPosition();
    // A position beyond the head would silently skip every event until the log got there.
    if (input.afterPosition !== undefined && input.afterPosition > head)
      throw new OutOfRangeError("after_position", `${input.afterPosition} is beyond the log's head, position ${head}; watch after a position from 0 to ${head}, or from now`);
    const after = input.afterPosition ?? head;
    const matches = (event: TodoEvent) =>
      (ids.size === 0 || ids.has(event.todoId)) && (tags.size === 0 || event.todo.tags.some((t) => tags.has(t))) && (!input.remindersOnly || event.kind === "reminder_due");
    return { after, events: this.feed.follow(after, matches, ctx.signal) };
  }

  /**
   * Creates a todo; with `id` (an import, or a client's own id) keeps it, or fails with
   * AlreadyExistsError. Given times (an import of an export) are kept; update time defaults to the
   * create time.
   */
  async create(ctx: CallContext, input: { todo: TodoInput; id?: string; createTime?: number; updateTime?: number }): Promise<TodoRecord> {
    const id = input.id ? parseId("id", input.id) : undefined;
    const { title, description = "", tags = [], reminder = null, state = "STATE_NOT_STARTED" } = input.todo;
    const fields = checkFields({ title, description, tags, reminder, state }) as TodoFields;
    let times: { createTime: number; updateTime: number } | undefined;
    if (input.createTime !== undefined || input.updateTime !== undefined) {
      const createTime = input.createTime === undefined ? Date.now() : parseTime("create_time", input.createTime);
      const updateTime = input.updateTime === undefined ? createTime : parseTime("update_time", input.updateTime);
      if (updateTime < createTime) throw new InvalidArgumentError("update_time", "must not be before create_time");
      times = { createTime, updateTime };
    }
    const { todo } = await this.store.create(fields, { id, times, actor: ctx.principal });
    this.feed?.written();
    return todo;
  }

  async get(_ctx: CallContext, id: string): Promise<TodoRecord> {
    const todo = await this.store.get(parseId("id", id));
    if (!todo) throw new NotFoundError(id);
    return todo;
  }

  async update(ctx: CallContext, input: UpdateInput): Promise<TodoRecord> {
    const id = parseId("id", input.id);
    const fields = checkFields(input.fields);
    const expectedVersion = parseEtag("etag", input.etag);
    // Nothing to replace: nothing changes, so no new version and no event; a stale etag still fails.
    if (Object.keys(fields).length === 0) {
      const todo = await this.store.get(id);
      if (!todo) throw new NotFoundError(id);
      if (expectedVersion !== undefined && todo.version !== expectedVersion) throw new VersionMismatchError(id);
      return todo;
    }
    const { todo } = await this.store.update(id, fields, { expectedVersion, actor: ctx.principal });
    this.feed?.written();
    return todo;
  }

  /**
   * The original v1.ToDoService's update: writes only when a given field differs from the stored one,
   * and says whether it did (the original answered MongoDB's modified count, 0 for a document left as
   * it was). No write: no new version, no event, and the update time stays.
   */
  async updateIfChanged(ctx: CallContext, input: Omit<UpdateInput, "etag">): Promise<{ todo: TodoRecord; changed: boolean }> {
    const id = parseId("id", input.id);
    const fields = checkFields(input.fields);
    for (let attempt = 1; ; attempt++) {
      const todo = await this.store.get(id);
      if (!todo) throw new NotFoundError(id);
      if (differingFields(todo, { ...todo, ...fields }).length === 0) return { todo, changed: false };
      // Conditional on the version compared, so a write in between is compared again. Under a run of
      // writes to this todo the last attempt writes regardless, as the original's last writer won: at
      // worst a version that changed nothing, never an error the original's clients do not expect.
      const expectedVersion = attempt < COMPARE_ATTEMPTS ? todo.version : undefined;
      try {
        const { todo: updated } = await this.store.update(id, fields, { expectedVersion, actor: ctx.principal });
        this.feed?.written();
        return { todo: updated, changed: true };
      } catch (e) {
        if (!(e instanceof VersionMismatchError) || expectedVersion === undefined) throw e;
      }
    }
  }

  /** Deletes a todo and returns it as it was. */
  async delete(ctx: CallContext, input: { id: string; etag?: string }): Promise<TodoRecord> {
    const id = parseId("id", input.id);
    const { todo } = await this.store.delete(id, { expectedVersion: parseEtag("etag", input.etag), actor: ctx.principal });
    this.feed?.written();
    return todo;
  }

  async search(ctx: CallContext, input: SearchInput): Promise<SearchResult> {
    if (input.pattern) parsePattern("pattern", input.pattern);
    const query = {
      pattern: input.pattern || undefined,
      patternFields: input.patternFields,
      tags: input.tags?.length ? parseTags("tags", input.tags) : [],
      states: [...new Set((input.states ?? []).map((s) => parseState("states", s)))] as State[],
      reminderAfter: input.reminderAfter === undefined ? undefined : parseTime("reminder_after", input.reminderAfter),
      reminderBefore: input.reminderBefore === undefined ? undefined : parseTime("reminder_before", input.reminderBefore),
      order: parseOrder("order_by", input.orderBy ?? ""),
      limit: parsePageSize("page_size", input.pageSize ?? 0),
    };
    let after = input.pageToken ? decodePageToken("page_token", input.pageToken, query) : undefined;
    const todos: TodoRecord[] = [];
    let bytes = 0;
    let more = false;
    // One budget for the call: chunk by chunk, a costly pattern would get the store's budget ten times over.
    const spending: SearchSpending = input.spending ?? { ms: 0 };
    chunks: for (;;) {
      const chunk = await this.store.search({ ...query, after, limit: Math.min(SEARCH_CHUNK, query.limit - todos.length) }, ctx.signal, spending);
      for (const todo of chunk.todos) {
        if (input.budget) {
          const size = input.budget.sizeOf(todo);
          if (todos.length > 0 && bytes + size > input.budget.bytes) {
            more = true;
            break chunks;
          }
          bytes += size;
        }
        todos.push(todo);
      }
      const last = todos.at(-1);
      if (!chunk.more || !last) break;
      if (todos.length >= query.limit) {
        more = true;
        break;
      }
      after = { key: sortKey(last, query.order), id: last.id };
    }
    const last = todos.at(-1);
    return {
      todos,
      nextPageToken: more && last ? encodePageToken(query, { key: sortKey(last, query.order), id: last.id }) : "",
    };
  }
}
