// The MongoDB store's search: conditions on the server (regex, $all, $in) and keyset pages on the
// (field, _id) indexes, within the search's time budget.
import { type Filter, ObjectId, type Sort } from "mongodb";
import type { OrderField, State } from "../../vocabulary/todo";
import { SearchBudgetError } from "../../todos/errors";
import type { SearchPage, SearchQuery, SearchSpending } from "../../todos/ports";
import type { MongoConnection } from "./connection";
import { objectId, type StoredDocument, storedStates, type TodoDocument, toRecord } from "./documents";

/** A sort key as stored: times are Dates, titles strings, a missing reminder null. */
function storedKey(field: OrderField, key: string | number | null): string | Date | null {
  if (key === null) return null;
  return field === "title" ? String(key) : new Date(key);
}

export class TodoSearch {
  constructor(private readonly connection: MongoConnection) {}

  async search(query: SearchQuery, _signal?: AbortSignal, spending: SearchSpending = { ms: 0 }): Promise<SearchPage> {
    const field = query.order.field;
    const conditions: Filter<TodoDocument>[] = [{ deleted: { $ne: true } } as Filter<TodoDocument>];
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
    return this.connection.run(async () => {
      const docs: TodoDocument[] = [];
      const key = query.after && (await this.resumeKey(field, query.after));
      for (const { filter, sort } of this.keyset(field, query.order.descending, query.after, key)) {
        if (docs.length > query.limit) break;
        const all = [...conditions, ...(filter ? [filter] : [])];
        // A pattern's finds share the call's budget (ports.ts, SearchSpending): each gets what is left. A
        // listing without one walks an index; each of its finds keeps the whole limit, as a guard only.
        const left = query.pattern ? Math.floor(this.connection.searchTimeoutMS - spending.ms) : this.connection.searchTimeoutMS;
        if (left <= 0) throw new SearchBudgetError(this.connection.searchTimeoutMS);
        const started = performance.now();
        try {
          docs.push(
            ...(await this.connection.todos
              .find({ $and: all } as Filter<StoredDocument>, { maxTimeMS: left, projection: { pending: 0 } })
              .sort(sort)
              .limit(query.limit + 1 - docs.length)
              .toArray()),
          );
        } finally {
          spending.ms += performance.now() - started;
        }
      }
      return { todos: docs.slice(0, query.limit).map(toRecord), more: docs.length > query.limit };
    }, this.connection.callTimeoutMS + this.connection.searchTimeoutMS);
  }

  /**
   * The queries that list, one after the other, the documents strictly after `after` in (field, _id)
   * order. The contract puts a missing reminder after every reminder (last ascending, first descending),
   * but MongoDB sorts null before every Date, so an order by reminder is two queries: the dated todos by
   * (reminder, _id) and the undated ones by _id. Comparisons like $gt on a Date never match null (type
   * bracketing), so a position among the dated todos selects dated todos only.
   */
  private keyset(field: OrderField, descending: boolean, after: SearchQuery["after"], key?: string | Date | null): { filter?: Filter<TodoDocument>; sort: Sort }[] {
    const direction = descending ? -1 : 1;
    const cmp = descending ? "$lt" : "$gt";
    const _id = after && (objectId(after.id) ?? new ObjectId("000000000000000000000000"));
    const beyond = (key: string | Date | null): Filter<TodoDocument> => ({ $or: [{ [field]: { [cmp]: key } }, { [field]: key, _id: { [cmp]: _id } }] });
    // Times are null only in documents of the original's shape copied in by hand (see resumeKey):
    // MongoDB sorts them first, so they come first ascending and last descending.
    const beyondOrNull = (key: string | Date | null): Filter<TodoDocument> => {
      if (key === null) return descending ? { [field]: null, _id: { $lt: _id } } : { $or: [{ [field]: { $ne: null } }, { [field]: null, _id: { $gt: _id } }] };
      return descending ? { $or: [...(beyond(key).$or as Filter<TodoDocument>[]), { [field]: null }] } : beyond(key);
    };
    if (field !== "reminder") return [{ filter: after && beyondOrNull(key === undefined ? storedKey(field, after.key) : key), sort: { [field]: direction, _id: direction } }];
    const amongUndated = after?.key === null;
    const amongDated = after !== undefined && after.key !== null;
    const undated = { filter: amongUndated ? { reminder: null, _id: { [cmp]: _id } } : { reminder: null }, sort: { _id: direction } as Sort };
    const dated = { filter: amongDated ? beyond(storedKey(field, after.key)) : { reminder: { $ne: null } }, sort: { reminder: direction, _id: direction } as Sort };
    // A position among the undated todos is past every dated one ascending; among the dated, past every undated one descending.
    if (amongUndated && !descending) return [undated];
    if (amongDated && descending) return [dated];
    return descending ? [undated, dated] : [dated, undated];
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
      const doc = await this.connection.todos.findOne({ _id }, { projection: { [field]: 1 } });
      if (doc && (doc as unknown as Record<string, unknown>)[field] == null) return null;
    }
    return storedKey(field, after.key);
  }
}
