// The embedded store's search beyond the contract: the trigram index and the table scan agree with RE2
// over every row (an oracle), pages walk an index, and a search ends at its budget or its caller's leave.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RE2JS } from "re2js";
import { CancelledError, SearchBudgetError } from "../../todos/errors";
import type { Order, TodoRecord } from "../../todos/model";
import type { SearchQuery } from "../../todos/ports";
import { sortKey } from "../../todos/sort";
import { downgrade } from "../../../test/support/older-schema";
import { PROBE_ROWS, searchSql } from "./search";
import { SqliteStore } from "./sqlite-store";

const WORDS = ["alpha", "Beta", "gamma", "Zürich", "zürich", "日本語", "straße", "STRASSE", "milk", "Bread", "invoice 1234", "report 2024", "colour", "color", "ab", "KELVIN", "\u212Aelvin", "ſun", 'say "hi"'];
const ROWS = PROBE_ROWS + 600;

const query = (overrides: Partial<SearchQuery> = {}): SearchQuery => ({ tags: [], states: [], order: { field: "create_time", descending: false }, limit: 50, ...overrides });

async function searchAll(store: SqliteStore, q: SearchQuery): Promise<TodoRecord[]> {
  const all: TodoRecord[] = [];
  let after: SearchQuery["after"];
  for (;;) {
    const page = await store.search({ ...q, after });
    all.push(...page.todos);
    if (!page.more) return all;
    const last = page.todos.at(-1)!;
    after = { key: sortKey(last, q.order), id: last.id };
  }
}

/** Writes rows straight into the file (the triggers index them) as a seeded or upgraded data file has them. */
function seed(db: Database, from: number, count: number) {
  let state = from + 7;
  const pick = () => WORDS[(state = (state * 1_103_515_245 + 12_345) % 2 ** 31) % WORDS.length]!;
  const insert = db.prepare("INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)");
  db.transaction(() => {
    for (let i = from; i < from + count; i++)
      insert.run(i.toString(16).padStart(24, "0"), `${pick()} ${pick()} ${i}`, `${pick()} ${pick()} ${pick()}${i % 97 === 5 ? " Quokka" : ""}`, JSON.stringify(tagsOf(i)), i % 3 ? 1000 * (i % 50) : null, stateOf(i), i, i);
  })();
}

/** Tags of seeded todo i: "errand" on half, "home" on a third, "rare" on one in 53. */
const tagsOf = (i: number) => [...(i % 2 ? [] : ["errand"]), ...(i % 3 ? [] : ["home"]), ...(i % 53 === 5 ? ["rare"] : [])];
/** State of seeded todo i: in progress one in 7, done about a third, else not started. */
const stateOf = (i: number) => (i % 7 === 0 ? "STATE_IN_PROGRESS" : i % 3 === 1 ? "STATE_DONE" : "STATE_NOT_STARTED");

/**
 * Filters, each with and without a pattern: rare ones (listed from todo_tags or todos_state), common ones
 * (found by walking the order), both together, none matching.
 */
const FILTERS: Partial<SearchQuery>[] = [
  { tags: ["rare"] },
  { tags: ["home"] },
  { tags: ["errand", "home"] },
  { tags: ["rare", "errand"] },
  { tags: ["nowhere"] },
  { states: ["STATE_IN_PROGRESS"] },
  { states: ["STATE_DONE", "STATE_IN_PROGRESS"] },
  { tags: ["rare"], states: ["STATE_NOT_STARTED"] },
  { tags: ["home"], states: ["STATE_IN_PROGRESS"] },
  { tags: ["home"], reminderAfter: 5_000, reminderBefore: 20_000 },
];
const FILTERED_PATTERNS = [undefined, "milk", "Quokka", "[0-9]{3}$"];

/** Whether `t` passes `f`'s tags, states and reminder range (the oracle's filter). */
const passes = (t: TodoRecord, f: Partial<SearchQuery>) =>
  (f.tags ?? []).every((tag) => t.tags.includes(tag)) &&
  (!f.states?.length || f.states.includes(t.state)) &&
  (f.reminderAfter === undefined || (t.reminder !== null && t.reminder >= f.reminderAfter)) &&
  (f.reminderBefore === undefined || (t.reminder !== null && t.reminder < f.reminderBefore));

/** A new data directory (its file of the current schema, closed by the store) and a connection to that file. */
async function newDataFile(prefix: string): Promise<{ dir: string; db: Database }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  await SqliteStore.open(dir).close();
  return { dir, db: new Database(join(dir, "todos.db")) };
}

const PATTERNS = [
  "milk",
  "(?i)MILK",
  "milk|bread",
  "(?i)milk|bread",
  "invoice [0-9]{4}",
  "(?i)zürich",
  "Zürich",
  "日本語",
  "(?i)kelvin",
  "(?i)sun",
  "(?i)straße",
  "^ab",
  "[0-9]{3}$",
  "colou?r",
  "\\bBeta\\b",
  "(?i)beta 1[0-9]",
  'say "hi"',
  "no such text",
  // Rare (one row in 97): few candidates, listed in order rather than found by walking the order.
  "Quokka",
  "(?i)quokka|zzzzz",
];
const ORDERS: Order[] = [
  { field: "create_time", descending: false },
  { field: "reminder", descending: false },
  { field: "reminder", descending: true },
  { field: "title", descending: true },
];

describe("sqlite search", () => {
  let dir: string;
  let store: SqliteStore;
  let db: Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "todo-search-"));
    store = SqliteStore.open(dir);
    db = new Database(join(dir, "todos.db"));
    seed(db, 0, ROWS);
  });

  afterAll(async () => {
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every page of each pattern, in each order, equals RE2 applied to every todo in that order. */
  async function expectOracle() {
    for (const order of ORDERS) {
      const everything = await searchAll(store, query({ order, limit: 1000 }));
      for (const pattern of PATTERNS) {
        const re = RE2JS.compile(pattern);
        const expected = everything.filter((t) => re.test(t.title) || re.test(t.description)).map((t) => t.id);
        const got = (await searchAll(store, query({ order, pattern, limit: 50 }))).map((t) => t.id);
        expect({ pattern, order, got }).toEqual({ pattern, order, got: expected });
      }
    }
  }

  /** Every page of each filter, with and without a pattern, in each order, equals the filter applied to every todo. */
  async function expectFilterOracle() {
    for (const order of ORDERS) {
      const everything = await searchAll(store, query({ order, limit: 1000 }));
      for (const filter of FILTERS)
        for (const pattern of FILTERED_PATTERNS) {
          const re = pattern === undefined ? undefined : RE2JS.compile(pattern);
          const expected = everything.filter((t) => passes(t, filter) && (!re || re.test(t.title) || re.test(t.description))).map((t) => t.id);
          const got = (await searchAll(store, query({ order, pattern, ...filter, limit: 50 }))).map((t) => t.id);
          expect({ filter, pattern, order, got }).toEqual({ filter, pattern, order, got: expected });
        }
    }
  }

  /** The tag index holds exactly each todo's tags. */
  function expectTagIndex() {
    const differ = db.query<{ n: number }, []>(
      `SELECT count(*) AS n FROM (
         SELECT tag, todo_id FROM todo_tags EXCEPT SELECT json_each.value, todos.id FROM todos, json_each(todos.tags)
         UNION ALL
         SELECT json_each.value, todos.id FROM todos, json_each(todos.tags) EXCEPT SELECT tag, todo_id FROM todo_tags)`,
    );
    expect(differ.get()!.n).toBe(0);
  }

  test("the index and the scan find exactly what RE2 finds over every todo, page after page, in every order", async () => {
    await expectOracle();
  }, 120_000);

  test("tags and states, alone or with a pattern, find exactly the todos that pass them, page after page, in every order", async () => {
    expectTagIndex();
    await expectFilterOracle();
  }, 120_000);

  test("updates and deletes keep the index consistent with the todos", async () => {
    const page = await store.search(query({ limit: 200 }));
    for (const [i, todo] of page.todos.entries()) {
      if (i % 3 === 0) await store.update(todo.id, { title: `milk ${i} Zürich`, description: "say \"hi\"", tags: i % 2 ? ["rare", "home"] : [] });
      else if (i % 3 === 1) await store.delete(todo.id);
      else await store.update(todo.id, { state: "STATE_DONE", tags: ["rare"] });
    }
    // FTS5's own check that the index holds exactly the external content's text.
    db.exec("INSERT INTO todos_text (todos_text, rank) VALUES ('integrity-check', 1)");
    expectTagIndex();
    await expectOracle();
    await expectFilterOracle();
  }, 120_000);

  test("the pattern combines with tags, states and the reminder range", async () => {
    const tagged = await store.create({ title: "tagged milk", description: "", tags: ["shop"], reminder: 5000, state: "STATE_IN_PROGRESS" });
    await store.create({ title: "untagged milk", description: "", tags: [], reminder: 5000, state: "STATE_IN_PROGRESS" });
    const ids = async (q: Partial<SearchQuery>) => (await store.search(query({ pattern: "(?i)MILK", ...q }))).todos.map((t) => t.id);
    expect(await ids({ tags: ["shop"] })).toEqual([tagged.todo.id]);
    expect(await ids({ tags: ["shop"], states: ["STATE_DONE"] })).toEqual([]);
    expect(await ids({ tags: ["shop"], reminderAfter: 5000, reminderBefore: 5001 })).toEqual([tagged.todo.id]);
  });

  const planOf = (sql: string) =>
    db
      .query<{ detail: string }, (string | number)[]>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...Array.from({ length: sql.split("?").length - 1 }, () => 1))
      .map((r) => r.detail);
  const POSITIONS = (["create_time", "update_time", "reminder", "title"] as const).flatMap((field) =>
    [false, true].flatMap((descending) => (field === "reminder" ? [5, null] : [field === "title" ? "x" : 5]).map((key) => ({ order: { field, descending }, after: { key, id: "0".repeat(24) } }))),
  );

  test("every page walks an index from its position: SEARCH, never a SCAN or a sort", () => {
    for (const position of POSITIONS)
      for (const sql of searchSql(query(position)).walk)
        expect({ sql, plan: planOf(sql) }).toEqual({ sql, plan: [expect.stringMatching(new RegExp(`^SEARCH todos USING INDEX todos_${position.order.field} `))] });
  });

  test("with tags and states, a page walks the order's index checking them, or lists one tag's or the states' todos from their index", () => {
    const filtered = { tags: ["home", "rare"], states: ["STATE_DONE", "STATE_IN_PROGRESS"] as SearchQuery["states"] };
    for (const position of POSITIONS) {
      const { walk, list } = searchSql(query({ ...position, ...filtered }));
      // Walking: the order's index, each tag an EXISTS on todo_tags' key; never all of a state's todos sorted.
      for (const sql of walk)
        expect({ sql, plan: planOf(sql) }).toEqual({
          sql,
          plan: [expect.stringMatching(new RegExp(`^SEARCH todos USING INDEX todos_${position.order.field} `)), ...filtered.tags.map(() => "SEARCH todo_tags EXISTS USING PRIMARY KEY (tag=? AND todo_id=?)")],
        });
      // Listing: the driver's index first (each tag's, then the states'), then a sort of what it lists.
      // Each of a tag's todos is one seek by its id (for the undated, (reminder IS NULL, id) is one too).
      const byId = expect.stringMatching(/^SEARCH todos USING INDEX (sqlite_autoindex_todos_1 \(id=\?\)|todos_reminder \(reminder=\? AND id=\?\))$/);
      // A position by id alone (the undated todos) narrows the tag's range too.
      const tagRange = expect.stringMatching(/^SEARCH todo_tags USING PRIMARY KEY \(tag=\?( AND todo_id[<>]\?)?\)$/);
      const drivers = [...filtered.tags.map(() => [tagRange, byId]), ["SEARCH todos USING INDEX todos_state (state=?)"]];
      const perDriver = list.length / drivers.length;
      list.forEach((sql, i) =>
        expect({ sql, plan: planOf(sql) }).toEqual({
          sql,
          plan: [...drivers[Math.floor(i / perDriver)]!, ...filtered.tags.map(() => "SEARCH todo_tags EXISTS USING PRIMARY KEY (tag=? AND todo_id=?)"), "USE TEMP B-TREE FOR ORDER BY"],
        }),
      );
    }
  });

  test("a search that spends its budget ends with SearchBudgetError naming it; one whose caller leaves, with CancelledError", async () => {
    const slow = SqliteStore.open(dir, { searchBudgetMs: 300 });
    // Each match of this pattern against a long text takes a long while (linear, with a large constant).
    const long = await slow.create({ title: "long", description: "abcdefghij1".repeat(909), tags: [], reminder: null, state: "STATE_DONE" });
    const pattern = "(?i)(\\pL|\\pN){900}s";
    const error = await slow.search(query({ pattern, after: { key: long.todo.createTime - 1, id: long.todo.id } })).catch((e) => e);
    expect(error).toBeInstanceOf(SearchBudgetError);
    expect(error.message).toBe(
      "the search used its budget of 0.3 s before filling the page; narrow the pattern (a word of 3 or more characters lets the index find candidates) or add filters (tags, states, reminder range)",
    );
    const controller = new AbortController();
    const leaving = slow.search(query({ pattern }), controller.signal).catch((e) => e);
    setTimeout(() => controller.abort(new CancelledError(true)), 50);
    expect(await leaving).toEqual(new CancelledError(true));
    // The store still answers: the ended workers were replaced.
    expect((await slow.search(query({ pattern: "^long$", after: { key: long.todo.createTime - 1, id: long.todo.id } }))).todos.map((t) => t.id)).toEqual([long.todo.id]);
    await slow.close();
  });
});

test("a data file from before the index gets it when opened: every existing todo is indexed", async () => {
  const { dir, db } = await newDataFile("todo-search-upgrade-");
  downgrade(db, 2);
  seed(db, 0, ROWS);
  db.close();
  const store = SqliteStore.open(dir);
  const check = new Database(join(dir, "todos.db"));
  check.exec("INSERT INTO todos_text (todos_text, rank) VALUES ('integrity-check', 1)");
  expect(check.query<{ n: number }, []>("SELECT count(*) AS n FROM todos_text WHERE todos_text MATCH '\"milk\"'").get()!.n).toBeGreaterThan(0);
  check.close();
  const all = await searchAll(store, query({ limit: 1000 }));
  const re = RE2JS.compile("(?i)milk");
  expect((await searchAll(store, query({ pattern: "(?i)milk" }))).map((t) => t.id)).toEqual(all.filter((t) => re.test(t.title) || re.test(t.description)).map((t) => t.id));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a data file from before the tag index gets it when opened: every existing todo's tags are indexed", async () => {
  const { dir, db } = await newDataFile("todo-search-tags-upgrade-");
  seed(db, 0, 300);
  // As the release before the tag index (schema version 5) left its files.
  downgrade(db, 5);
  expect(db.query("SELECT name FROM sqlite_master WHERE name LIKE 'todo_tags%'").all()).toEqual([]);
  db.close();
  const store = SqliteStore.open(dir);
  const check = new Database(join(dir, "todos.db"));
  expect(check.query<{ n: number }, []>("SELECT count(*) AS n FROM todo_tags").get()!.n).toBe(check.query<{ n: number }, []>("SELECT count(*) AS n FROM todos, json_each(todos.tags)").get()!.n);
  check.close();
  const created = await store.create({ title: "after the upgrade", description: "", tags: ["rare", "new"], reminder: null, state: "STATE_IN_PROGRESS" });
  const all = await searchAll(store, query({ limit: 1000 }));
  for (const filter of [{ tags: ["rare"] }, { tags: ["new"] }, { tags: ["home"], states: ["STATE_IN_PROGRESS"] }] as Partial<SearchQuery>[]) {
    const got = (await searchAll(store, query({ ...filter, limit: 7 }))).map((t) => t.id);
    expect({ filter, got }).toEqual({ filter, got: all.filter((t) => passes(t, filter)).map((t) => t.id) });
  }
  expect((await store.search(query({ tags: ["new"] }))).todos.map((t) => t.id)).toEqual([created.todo.id]);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a rare word only past the probe, with a state on most todos: the fewest candidates (the word's) are checked against the state, and find what RE2 finds", async () => {
  const { dir, db } = await newDataFile("todo-search-long-list-");
  // Every todo but one in 10 not started; "Wombat" only past the probe, so the probe finds nothing and
  // the word's ~30 candidates are fewer than the not-started todos (2,700).
  const insert = db.prepare("INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version) VALUES (?, ?, '', '[]', NULL, ?, ?, ?, 1)");
  const rows = 3 * PROBE_ROWS;
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(i.toString(16).padStart(24, "0"), `todo ${i}${i > 2 * PROBE_ROWS && i % 31 === 0 ? " Wombat" : ""}`, i % 10 ? "STATE_NOT_STARTED" : "STATE_DONE", i, i);
  })();
  db.close();
  const store = SqliteStore.open(dir);
  const filter = { states: ["STATE_NOT_STARTED"] as SearchQuery["states"], pattern: "Wombat" };
  const expected = (await searchAll(store, query({ limit: 1000 }))).filter((t) => t.state === "STATE_NOT_STARTED" && t.title.includes("Wombat")).map((t) => t.id);
  expect(expected.length).toBeGreaterThan(10);
  expect((await searchAll(store, query({ ...filter, limit: 5 }))).map((t) => t.id)).toEqual(expected);
  expect((await searchAll(store, query({ ...filter, limit: 5, order: { field: "title", descending: true } }))).map((t) => t.id)).toEqual(
    (await searchAll(store, query({ limit: 1000, order: { field: "title", descending: true } }))).filter((t) => expected.includes(t.id)).map((t) => t.id),
  );
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
