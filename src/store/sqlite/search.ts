// One search over the embedded store's file, synchronous: run on the daemon's thread for a plain listing,
// in a search worker (search-workers.ts) when a pattern or tags must be checked row by row.
//
// Pages walk an index in (sort key, id) order from the page token's position with a row-value keyset,
// `(key, id) > (?, ?)`, which SQLite answers with a SEARCH of the index: a deep page costs what the first
// does. A todo without a reminder sorts after every dated one, so an order by reminder walks two
// segments, the dated todos by (reminder, id) and the undated ones by id.
//
// A pattern is checked with RE2 on each candidate. Candidates come, in order, from the table itself for
// the first PROBE_ROWS rows (a common word or a common filter fills its page there), then from the
// smallest of the indexes that list them: a tag's todos (todo_tags), a state's (todos_state), or the
// trigram index (trigram-query.ts) when the pattern has a string of three characters or more to look up.
// A pattern without one, and filters that are all common, read the rest of the order, once.
import type { Database } from "bun:sqlite";
import { RE2JS } from "re2js";
import type { TodoRecord } from "../../todos/model";
import { type State, uniqueTags } from "../../vocabulary/todo";
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

/** Rows of the table checked in order (filters and pattern alike) before an index is asked for the rest. */
export const PROBE_ROWS = 1_000;
/** Rows read per statement while scanning (each step resumes with the keyset: a SEARCH, not a rescan). */
const SCAN_STEP = 1_000;
/** Index entries (keys only) read per statement while walking an order for many candidates. */
const WALK_STEP = 5_000;
/** Most todos a tag or the states may have to be listed and sorted; counting stops there. */
export const LIST_MAX = 20_000;
/** What listing a todo costs (a lookup of its row, its share of the sort), in index entries walked. */
const LISTED_COST = 3;
/** Trigram candidates worth listing, per todo a driver would list and match instead. */
const CANDIDATES_PER_TODO = 4;


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

/**
 * The query's filters other than the pattern and the position, as checks on a row SQLite reads anyway:
 * none can lead the plan away from the order's index (a tag is an EXISTS on todo_tags, a state `+state`),
 * which a sort of every todo of a state did. An index leads only when a driver says so (`drivers`).
 */
function filters(query: SearchQuery): { where: string[]; params: Param[] } {
  const where: string[] = [];
  const params: Param[] = [];
  for (const tag of uniqueTags(query.tags)) {
    where.push("EXISTS (SELECT 1 FROM todo_tags WHERE tag = ? AND todo_id = todos.id)");
    params.push(tag);
  }
  if (query.states.length) {
    where.push(`+state IN (${query.states.map(() => "?").join(", ")})`);
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

/** An index that lists the only todos a filter lets through: one tag's, or the states'. */
interface Driver {
  /** The FROM clause that reads the todos from that index, first. */
  from: string;
  where: string;
  params: Param[];
  /** The entries of that index the driver lists (counted without reading a row). */
  entries: string;
}

/** The query's drivers: each tag, then the states. */
function drivers(query: SearchQuery): Driver[] {
  const found = uniqueTags(query.tags).map((tag): Driver => ({
    // CROSS JOIN keeps todo_tags first: the tag's entries, then each todo by its id.
    from: "todo_tags CROSS JOIN todos ON todos.id = todo_tags.todo_id",
    where: "todo_tags.tag = ?",
    params: [tag],
    entries: "SELECT 1 FROM todo_tags WHERE tag = ?",
  }));
  if (query.states.length) {
    const where = `state IN (${query.states.map(() => "?").join(", ")})`;
    found.push({ from: "todos INDEXED BY todos_state", where, params: query.states, entries: `SELECT 1 FROM todos INDEXED BY todos_state WHERE ${where}` });
  }
  return found;
}

/** How many todos `driver` lists, counted up to `cap` + 1. */
const size = (db: Database, driver: Driver, cap: number) => db.query<{ n: number }, Param[]>(`SELECT count(*) AS n FROM (${driver.entries} LIMIT ${cap + 1})`).get(...driver.params)!.n;

function select(columns: string, where: string[], orderBy: string, limit: number | null, from = "todos"): string {
  return `SELECT ${columns} FROM ${from} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${orderBy}${limit === null ? "" : ` LIMIT ${limit}`}`;
}

/** The SQL of a search's first step, for EXPLAIN QUERY PLAN in tests: each segment walking its order, then listed by each driver. */
export function searchSql(query: SearchQuery): { walk: string[]; list: string[] } {
  const base = filters(query);
  return {
    walk: segments(query).map((s) => select("*", [...base.where, ...s.where], s.orderBy, query.limit + 1)),
    list: drivers(query).flatMap((d) => segments(query).map((s) => select("todos.*", [d.where, ...base.where, ...s.where], s.orderBy, null, d.from))),
  };
}

export function searchTodos(db: Database, query: SearchQuery): SearchPage {
  const base = filters(query);
  const found: TodoRecord[] = [];
  const wanted = query.limit + 1;
  const page = (): SearchPage => ({ todos: found.slice(0, query.limit), more: found.length > query.limit });
  if (!query.pattern && base.where.length === 0) {
    for (const segment of segments(query)) {
      const sql = select("*", segment.where, segment.orderBy, wanted - found.length);
      for (const row of db.query<TodoRow, Param[]>(sql).all(...segment.params)) found.push(toRecord(row));
      if (found.length >= wanted) break;
    }
    return page();
  }
  const matcher = query.pattern ? RE2JS.compile(query.pattern) : null;
  const fields = query.patternFields ?? (["title", "description"] as const);
  const index = query.pattern ? trigramQuery(query.pattern, fields) : null;
  // Rows are read as arrays, [rowid, id, key, ok, ...text] (a third of the cost of objects), `ok` saying
  // whether the filters let the row through; a match's whole row is read once it is found. The columns
  // are named apart, so that a row read as an object keeps each (the title may be the key and a text).
  // Candidates are listed without their text: most are never read, the page fills first.
  const keys = `todos.rowid AS row, id, ${SORT_COLUMN[query.order.field]} AS key`;
  const texts = matcher ? fields.map((f, i) => `, ${f} AS text${i}`).join("") : "";
  const full = db.query<TodoRow, [number]>("SELECT * FROM todos WHERE rowid = ?");
  const text = db.query<Param[], [number]>(`SELECT ${fields.join(", ")} FROM todos WHERE rowid = ?`);
  let last: { key: Param; id: string } | undefined;
  /** Checks one row the filters let through; true once the page is full. */
  const check = (row: Param[]): boolean => {
    last = { key: row[2]!, id: row[1] as string };
    if (matcher) {
      const values = row.length > 4 ? row.slice(4) : (text.values(row[0] as number)[0] as Param[]);
      if (!values.some((t) => matcher.test(t as string))) return false;
    }
    found.push(toRecord(full.get(row[0] as number)!));
    return found.length >= wanted;
  };
  /** Rows the probe read, and those of them the filters let through. */
  let probed = 0;
  let passed = 0;
  /**
   * Checks up to `rows` rows of `segment` in order (Infinity: all), in steps that each resume after the
   * last with the keyset. "full": the page filled; "done": the segment ended. A probe reads every row of
   * the order and says which the filters let through (so `rows` bounds what it reads, however rare the
   * filters); a scan lets SQLite skip the others. With `candidate`, only the order's index is read (no
   * row), and the filters are checked on the rows it accepts, one lookup each.
   */
  const walk = (segment: Segment, rows: number, how: { probe?: boolean; candidate?: (row: Param[]) => boolean } = {}): { outcome: "full" | "done" | "more"; seen: number } => {
    let seen = 0;
    const ok = how.probe && base.where.length ? `(${base.where.join(" AND ")})` : "1";
    const columns = `${keys}, ${ok} AS ok${how.candidate ? "" : texts}`;
    const filtered = how.candidate && base.where.length ? db.query<{ one: number }, Param[]>(`SELECT 1 AS one FROM todos WHERE rowid = ? AND ${base.where.join(" AND ")}`) : null;
    const passes = (row: Param[]) => !how.candidate || (how.candidate(row) && (!filtered || filtered.get(row[0]!, ...base.params) !== null));
    // Steps start small and double: a common filter or word fills its page within the first rows.
    let most = Math.min(4 * wanted, how.candidate ? WALK_STEP : SCAN_STEP);
    for (;; most = Math.min(2 * most, how.candidate ? WALK_STEP : SCAN_STEP)) {
      const step = Math.min(most, rows - seen);
      const sql = select(columns, how.probe || how.candidate ? segment.where : [...base.where, ...segment.where], segment.orderBy, step);
      const batch = db.query<Param[], Param[]>(sql).values(...(how.candidate ? [] : base.params), ...segment.params) as Param[][];
      for (const row of batch) {
        last = { key: row[2]!, id: row[1] as string };
        if (how.probe && row[3]) passed++;
        if (row[3] && passes(row) && check(row)) return { outcome: "full", seen };
      }
      seen += batch.length;
      if (batch.length < step) return { outcome: "done", seen };
      if (seen >= rows) return { outcome: "more", seen };
      segment = segments({ ...query, after: last })[0]!;
    }
  };
  /**
   * The trigram index's candidates (rowids), when there are at most `limit`; null when there are more:
   * listing them all would cost more than it saves (a word in 20% of 1M todos: 0.2–0.6 s), and such a
   * word fills a page soon wherever the walk goes.
   */
  const indexed = (limit: number): Set<number> | null => {
    const rows = db.query<number[], [string]>(`SELECT rowid FROM todos_text WHERE todos_text MATCH ? LIMIT ${limit + 1}`).values(index!) as number[][];
    return rows.length > limit ? null : new Set(rows.map((r) => r[0]!));
  };
  /** Checks the rest of `segment` as `driver` lists it, sorted (one statement, stepped lazily); with `only`, only those rows. */
  const list = (driver: Driver, segment: Segment, only: Set<number> | null): boolean => {
    const sql = select(`${keys}, 1 AS ok${only ? "" : texts}`, [driver.where, ...base.where, ...segment.where], segment.orderBy, null, driver.from);
    for (const row of db.query<Param[], Param[]>(sql).iterate(...driver.params, ...base.params, ...segment.params)) {
      const values = Object.values(row as unknown as Record<string, Param>);
      if ((!only || only.has(values[0] as number)) && check(values)) return true;
    }
    return false;
  };
  let probe = index === null && base.where.length === 0 ? Infinity : PROBE_ROWS;
  /**
   * Whether `count` candidates are better found by walking the order's index than by listing and
   * sorting them: listing costs a row lookup per candidate; walking, an index entry per row passed
   * until the page fills (about wanted × rows / count of them, more when the filters let only a share
   * of the rows through, as the probe saw: at a tenth of a lookup each).
   */
  const walkOrder = (count: number): boolean => {
    const rows = db.query<{ n: number | null }, []>("SELECT max(rowid) AS n FROM todos").get()?.n ?? 0;
    const share = probed ? Math.max(passed, 0.5) / probed : 1;
    return count * count * share * 10 > wanted * rows;
  };
  type Plan = { list: Driver; only: Set<number> | null } | { indexed: Set<number> } | "walk";
  let plan: Plan | undefined;
  /**
   * How the rest is found, chosen once, after the probe, from the fewest of what the indexes list: a
   * driver's todos (counted up to LIST_MAX, an index range each), the trigram index's candidates
   * (listed only as far as they could be fewer: a candidate listed costs less than a todo listed and
   * matched, so up to CANDIDATES_PER_TODO times the smallest driver). A driver's todos are listed when
   * fewest, with the candidates among them only when those were all listed; without candidates, only
   * when listing costs less than walking on: the probe's rows say how far the walk would go (its matches
   * per row read).
   */
  const choose = (): Plan => {
    const [smallest] = drivers(query)
      .map((driver) => ({ driver, count: size(db, driver, LIST_MAX) }))
      .filter((d) => d.count <= LIST_MAX)
      .sort((a, b) => a.count - b.count);
    const set = index === null ? null : indexed(smallest ? Math.min(LIST_MAX, smallest.count * CANDIDATES_PER_TODO) : LIST_MAX);
    if (set) return smallest && smallest.count < set.size ? { list: smallest.driver, only: set } : { indexed: set };
    const walkRows = ((wanted - found.length) * probed) / Math.max(found.length, 0.5);
    return smallest && smallest.count * LISTED_COST < walkRows ? { list: smallest.driver, only: null } : "walk";
  };
  for (const segment of segments(query)) {
    let rest = segment;
    if (probe > 0) {
      const walked = walk(segment, probe, { probe: true });
      probe -= walked.seen;
      probed += walked.seen;
      if (walked.outcome === "full") break;
      if (walked.outcome === "done") continue;
      rest = segments({ ...query, after: last })[0]!;
    }
    plan ??= choose();
    if (plan === "walk") {
      // No index narrows these enough: read the rest of the order (the filters skip rows in SQLite).
      if (walk(rest, Infinity).outcome === "full") break;
      continue;
    }
    if ("list" in plan) {
      if (list(plan.list, rest, plan.only)) break;
      continue;
    }
    const set = plan.indexed;
    if (set.size === 0) break;
    if (walkOrder(set.size)) {
      // Many candidates: walk the order's index (keys only) and check the rows that are candidates.
      if (walk(rest, Infinity, { candidate: (row) => set.has(row[0] as number) }).outcome === "full") break;
      continue;
    }
    // Few candidates: list them in order (one statement, stepped lazily) and check each.
    const where = ["todos.rowid IN (SELECT rowid FROM todos_text WHERE todos_text MATCH ?)", ...base.where, ...rest.where];
    const rows = db.query<Record<string, Param>, Param[]>(select(`${keys}, 1 AS ok`, where, rest.orderBy, null));
    let filled = false;
    for (const row of rows.iterate(index, ...base.params, ...rest.params)) if ((filled = check(Object.values(row)))) break;
    if (filled) break;
  }
  return page();
}
