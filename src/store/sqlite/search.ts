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
import type { TodoRecord } from "../../todos/model";
import type { State } from "../../vocabulary/todo";
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
  /** The armed reminder: the reminder time still to fire, or null (schema version 4, docs/events.md). */
  reminder_due: number | null;
  /** The todo's short number (schema version 5). */
  number: number;
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
    number: row.number,
  };
}

/** Rows of the table checked in order before the trigram index is asked for the rest. */
export const PROBE_ROWS = 1_000;
/** Rows read per statement while scanning (each step resumes with the keyset: a SEARCH, not a rescan). */
const SCAN_STEP = 1_000;
/** Index entries (keys only) read per statement while walking an order for many candidates. */
const WALK_STEP = 5_000;

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
  // Rows are read as arrays, [rowid, id, key, ...text] (a third of the cost of objects); a match's whole
  // row is read once it is found. The index's candidates are listed without their text: most are never
  // read, the page fills first.
  const keys = `rowid, id, ${SORT_COLUMN[query.order.field]}`;
  const full = db.query<TodoRow, [number]>("SELECT * FROM todos WHERE rowid = ?");
  const text = db.query<Param[], [number]>(`SELECT ${fields.join(", ")} FROM todos WHERE rowid = ?`);
  let last: { key: Param; id: string } | undefined;
  /** Checks one row; true once the page is full. */
  const check = (row: Param[]): boolean => {
    last = { key: row[2]!, id: row[1] as string };
    const texts = row.length > 3 ? row.slice(3) : (text.values(row[0] as number)[0] as Param[]);
    if (!texts.some((t) => matcher.test(t as string))) return false;
    found.push(toRecord(full.get(row[0] as number)!));
    return found.length >= wanted;
  };
  /**
   * Checks up to `rows` rows of `segment` in order (Infinity: all), in steps of SCAN_STEP rows that each
   * resume after the last with the keyset. "full": the page filled; "done": the segment ended. With
   * `candidate`, only the keys are read, and only the rows it accepts are checked.
   */
  const walk = (segment: Segment, rows: number, candidate?: (row: Param[]) => boolean): { outcome: "full" | "done" | "more"; seen: number } => {
    let seen = 0;
    const columns = candidate ? keys : `${keys}, ${fields.join(", ")}`;
    for (;;) {
      const step = Math.min(candidate ? WALK_STEP : SCAN_STEP, rows - seen);
      const sql = select(columns, [...base.where, ...segment.where], segment.orderBy, step);
      const batch = db.query<Param[], Param[]>(sql).values(...base.params, ...segment.params) as Param[][];
      for (const row of batch) {
        last = { key: row[2]!, id: row[1] as string };
        if ((!candidate || candidate(row)) && check(row)) return { outcome: "full", seen };
      }
      seen += batch.length;
      if (batch.length < step) return { outcome: "done", seen };
      if (seen >= rows) return { outcome: "more", seen };
      segment = segments({ ...query, after: last })[0]!;
    }
  };
  let candidates: Set<number> | undefined;
  /**
   * Whether `count` candidates are better found by walking the order's index than by listing and
   * sorting them: listing costs a row lookup per candidate; walking, an index entry per row passed
   * until the page fills (about wanted × rows / count of them, at a tenth of a lookup each).
   */
  const walkOrder = (count: number): boolean => {
    const rows = db.query<{ n: number | null }, []>("SELECT max(rowid) AS n FROM todos").get()?.n ?? 0;
    return count * count * 10 > wanted * rows;
  };
  let probe = index === null ? Infinity : PROBE_ROWS;
  for (const segment of segments(query)) {
    let rest = segment;
    if (probe > 0) {
      const walked = walk(segment, probe);
      probe -= walked.seen;
      if (walked.outcome === "full") break;
      if (walked.outcome === "done") continue;
      rest = segments({ ...query, after: last })[0]!;
    }
    // The rest of this segment from the index's candidates, listed once per search.
    candidates ??= new Set((db.query("SELECT rowid FROM todos_text WHERE todos_text MATCH ?").values(index!) as number[][]).map((r) => r[0]!));
    if (candidates.size === 0) break;
    if (walkOrder(candidates.size)) {
      // Many candidates: walk the order's index (keys only) and check the rows that are candidates.
      const set = candidates;
      if (walk(rest, Infinity, (row) => set.has(row[0] as number)).outcome === "full") break;
      continue;
    }
    // Few candidates: list them in order (one statement, stepped lazily) and check each.
    const where = ["rowid IN (SELECT rowid FROM todos_text WHERE todos_text MATCH ?)", ...base.where, ...rest.where];
    const rows = db.query<Record<string, Param>, Param[]>(select(keys, where, rest.orderBy, null));
    let filled = false;
    for (const row of rows.iterate(index, ...base.params, ...rest.params)) if ((filled = check(Object.values(row)))) break;
    if (filled) break;
  }
  return { todos: found.slice(0, query.limit), more: found.length > query.limit };
}
