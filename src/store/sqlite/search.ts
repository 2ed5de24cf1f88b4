// One search over the embedded store's file, synchronous: run on the daemon's thread for a plain listing,
// in a search worker (search-workers.ts) when a pattern or tags must be checked row by row.
//
// Pages walk an index in (sort key, id) order from the page token's position with a row-value keyset,
// `(key, id) > (?, ?)`, which SQLite answers with a SEARCH of the index: a deep page costs what the first
// does. A todo without a reminder sorts after every dated one, so an order by reminder walks two
// segments, the dated todos by (reminder, id) and the undated ones by id.
//
// A pattern is checked with RE2 on each candidate. Candidates come, in order, from the table itself for
// the first PROBE_ROWS rows (a common word fills its page there), then from the trigram index
// (trigram-query.ts) when the pattern has a string of three characters or more to look up; a pattern
// without one scans every row, once.
import type { Database } from "bun:sqlite";
import { RE2JS } from "re2js";
import type { State, TodoRecord } from "../../todos/model";
import type { SearchPage, SearchQuery } from "../../todos/ports";
import { trigramQuery } from "./trigram-query";

export interface TodoRow {
  id: string;
  title: string;
  description: string;
  tags: string;
  reminder: number | null;
  state: string;
  create_time: number;
  update_time: number;
  version: number;
}

export function toRecord(row: TodoRow): TodoRecord {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    tags: JSON.parse(row.tags),
    reminder: row.reminder,
    state: row.state as State,
    createTime: row.create_time,
    updateTime: row.update_time,
    version: row.version,
  };
}

/** Rows of the table checked in order before the trigram index is asked for the rest. */
export const PROBE_ROWS = 1_000;

const SORT_COLUMN = { create_time: "create_time", update_time: "update_time", reminder: "reminder", title: "title" } as const;

type Param = string | number | null;

interface Segment {
  /** Conditions of this segment, the keyset included. */
  where: string[];
  params: Param[];
  orderBy: string;
}

/** The segments, in order, that list the todos after `after` (see the header). */
function segments(query: SearchQuery): Segment[] {
  const column = SORT_COLUMN[query.order.field];
  const desc = query.order.descending;
  const dir = desc ? "DESC" : "ASC";
  const cmp = desc ? "<" : ">";
  const after = query.after;
  const ordered = (extra: string[], params: Param[]): Segment => ({ where: extra, params, orderBy: `${column} ${dir}, id ${dir}` });
  if (column !== "reminder") return [after ? ordered([`(${column}, id) ${cmp} (?, ?)`], [after.key, after.id]) : ordered([], [])];
  const dated = (): Segment => {
    if (!after || after.key === null) return ordered(["reminder IS NOT NULL"], []);
    return ordered(["reminder IS NOT NULL", `(reminder, id) ${cmp} (?, ?)`], [after.key, after.id]);
  };
  const undated = (): Segment => {
    const afterUndated = after && after.key === null;
    return { where: ["reminder IS NULL", ...(afterUndated ? [`id ${cmp} ?`] : [])], params: afterUndated ? [after.id] : [], orderBy: `id ${dir}` };
  };
  // Ascending: dated, then undated; a token in the undated part skips the dated one. Descending: the reverse.
  if (desc) return after && after.key !== null ? [dated()] : [undated(), dated()];
  return after && after.key === null ? [undated()] : [dated(), undated()];
}

/** The query's filters other than the pattern and the position. */
function filters(query: SearchQuery): { where: string[]; params: Param[] } {
  const where: string[] = [];
  const params: Param[] = [];
  if (query.tags.length) {
    where.push("NOT EXISTS (SELECT 1 FROM json_each(?) wanted WHERE wanted.value NOT IN (SELECT value FROM json_each(todos.tags)))");
    params.push(JSON.stringify(query.tags));
  }
  if (query.states.length) {
    where.push(`state IN (${query.states.map(() => "?").join(", ")})`);
    params.push(...query.states);
  }
  if (query.reminderAfter !== undefined) {
    where.push("reminder >= ?");
    params.push(query.reminderAfter);
  }
  if (query.reminderBefore !== undefined) {
    where.push("reminder < ?");
    params.push(query.reminderBefore);
  }
  return { where, params };
}

function select(columns: string, where: string[], orderBy: string, limit: number | null): string {
  return `SELECT ${columns} FROM todos ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${orderBy}${limit === null ? "" : ` LIMIT ${limit}`}`;
}

/** The SQL of a search's first step, for EXPLAIN QUERY PLAN in tests. */
export function searchSql(query: SearchQuery): string[] {
  const base = filters(query);
  return segments(query).map((s) => select("*", [...base.where, ...s.where], s.orderBy, query.limit + 1));
}

export function searchTodos(db: Database, query: SearchQuery): SearchPage {
  const base = filters(query);
  const found: TodoRecord[] = [];
  const wanted = query.limit + 1;
  if (!query.pattern) {
    for (const segment of segments(query)) {
      const sql = select("*", [...base.where, ...segment.where], segment.orderBy, wanted - found.length);
      for (const row of db.query<TodoRow, Param[]>(sql).all(...base.params, ...segment.params)) found.push(toRecord(row));
      if (found.length >= wanted) break;
    }
    return { todos: found.slice(0, query.limit), more: found.length > query.limit };
  }
  const matcher = RE2JS.compile(query.pattern);
  const fields = query.patternFields ?? (["title", "description"] as const);
  const index = trigramQuery(query.pattern, fields);
  // Only the text is read while checking; a match's whole row is read once it is found.
  const columns = `rowid AS rowid, id, ${SORT_COLUMN[query.order.field]} AS key, ${fields.join(", ")}`;
  const full = db.query<TodoRow, [number]>("SELECT * FROM todos WHERE rowid = ?");
  let probed = 0;
  let last: { key: Param; id: string } | undefined;
  /** Checks rows until the page is full; false when the rows ran out first. */
  const check = (rows: Iterable<Record<string, Param>>, counting: boolean): boolean => {
    for (const row of rows) {
      if (counting) probed++;
      last = { key: row.key!, id: row.id as string };
      if (fields.some((f) => matcher.test(row[f] as string))) {
        found.push(toRecord(full.get(row.rowid as number)!));
        if (found.length >= wanted) return true;
      }
    }
    return false;
  };
  for (const segment of segments(query)) {
    const where = [...base.where, ...segment.where];
    const params = [...base.params, ...segment.params];
    if (index === null) {
      if (check(db.query<Record<string, Param>, Param[]>(select(columns, where, segment.orderBy, null)).iterate(...params), false)) break;
      continue;
    }
    let rest = segment;
    if (probed < PROBE_ROWS) {
      const limit = PROBE_ROWS - probed;
      last = undefined;
      if (check(db.query<Record<string, Param>, Param[]>(select(columns, where, segment.orderBy, limit)).iterate(...params), true)) break;
      // The segment had fewer rows than the probe's share: it is done.
      if (!last || probed < PROBE_ROWS) continue;
      // The rest of this segment starts after the last row probed (the first segment from there).
      rest = segments({ ...query, after: last })[0]!;
    }
    const candidates = ["rowid IN (SELECT rowid FROM todos_text WHERE todos_text MATCH ?)", ...base.where, ...rest.where];
    if (check(db.query<Record<string, Param>, Param[]>(select(columns, candidates, rest.orderBy, null)).iterate(index, ...base.params, ...rest.params), false)) break;
  }
  return { todos: found.slice(0, query.limit), more: found.length > query.limit };
}
