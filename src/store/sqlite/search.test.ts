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
  const insert = db.prepare("INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version) VALUES (?, ?, ?, '[]', ?, 'STATE_NOT_STARTED', ?, ?, 1)");
  db.transaction(() => {
    for (let i = from; i < from + count; i++) insert.run(i.toString(16).padStart(24, "0"), `${pick()} ${pick()} ${i}`, `${pick()} ${pick()} ${pick()}${i % 97 === 5 ? " Quokka" : ""}`, i % 3 ? 1000 * (i % 50) : null, i, i);
  })();
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

  test("the index and the scan find exactly what RE2 finds over every todo, page after page, in every order", async () => {
    await expectOracle();
  }, 120_000);

  test("updates and deletes keep the index consistent with the todos", async () => {
    const page = await store.search(query({ limit: 200 }));
    for (const [i, todo] of page.todos.entries()) {
      if (i % 3 === 0) await store.update(todo.id, { title: `milk ${i} Zürich`, description: "say \"hi\"" });
      else if (i % 3 === 1) await store.delete(todo.id);
      else await store.update(todo.id, { state: "STATE_DONE" });
    }
    // FTS5's own check that the index holds exactly the external content's text.
    db.exec("INSERT INTO todos_text (todos_text, rank) VALUES ('integrity-check', 1)");
    await expectOracle();
  }, 120_000);

  test("the pattern combines with tags, states and the reminder range", async () => {
    const tagged = await store.create({ title: "tagged milk", description: "", tags: ["shop"], reminder: 5000, state: "STATE_IN_PROGRESS" });
    await store.create({ title: "untagged milk", description: "", tags: [], reminder: 5000, state: "STATE_IN_PROGRESS" });
    const ids = async (q: Partial<SearchQuery>) => (await store.search(query({ pattern: "(?i)MILK", ...q }))).todos.map((t) => t.id);
    expect(await ids({ tags: ["shop"] })).toEqual([tagged.todo.id]);
    expect(await ids({ tags: ["shop"], states: ["STATE_DONE"] })).toEqual([]);
    expect(await ids({ tags: ["shop"], reminderAfter: 5000, reminderBefore: 5001 })).toEqual([tagged.todo.id]);
  });

  test("every page walks an index from its position: SEARCH, never a SCAN or a sort", () => {
    for (const field of ["create_time", "update_time", "reminder", "title"] as const)
      for (const descending of [false, true])
        for (const key of field === "reminder" ? [5, null] : [field === "title" ? "x" : 5]) {
          for (const sql of searchSql(query({ order: { field, descending }, after: { key, id: "0".repeat(24) } }))) {
            const plan = db
              .query<{ detail: string }, (string | number)[]>(`EXPLAIN QUERY PLAN ${sql}`)
              .all(...Array.from({ length: sql.split("?").length - 1 }, () => 1))
              .map((r) => r.detail);
            expect({ sql, plan }).toEqual({ sql, plan: [expect.stringMatching(new RegExp(`^SEARCH todos USING INDEX todos_${field} `))] });
          }
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
  const dir = mkdtempSync(join(tmpdir(), "todo-search-upgrade-"));
  await SqliteStore.open(dir).close();
  const db = new Database(join(dir, "todos.db"));
  db.exec("DROP TRIGGER todos_text_insert; DROP TRIGGER todos_text_update; DROP TRIGGER todos_text_delete; DROP TABLE todos_text; DROP INDEX todos_number; ALTER TABLE todos DROP COLUMN number; DROP TABLE numbers; DROP INDEX todos_reminder_due; ALTER TABLE todos DROP COLUMN reminder_due; ALTER TABLE events DROP COLUMN reminder; PRAGMA user_version = 2");
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
