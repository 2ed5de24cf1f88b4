// On MongoDB the pattern runs on the server ($regex); maxTimeMS is its budget, and a search that spends
// it ends with SearchBudgetError (RESOURCE_EXHAUSTED), as on the embedded store.
import { afterAll, expect, test } from "bun:test";
import { MongoClient } from "mongodb";
import { mongoTarget } from "../../../test/support/ferretdb";
import { SearchBudgetError } from "../../todos/errors";
import { MongoStore } from "./mongo-store";

const target = await mongoTarget("MongoDB search budget test");
if (target) {
  const database = `todo_search_${process.pid}`;
  const url = target.url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]*)(\/[^?]*)?/, `$1/${database}`);
  afterAll(async () => {
    const admin = new MongoClient(target.url, { serverSelectionTimeoutMS: 5000 });
    await admin.db(database).dropDatabase();
    await admin.close();
    await target.server?.dispose();
  });

  test("a search that runs past its server-side limit ends with SearchBudgetError naming it", async () => {
    const store = MongoStore.open({ url, searchTimeoutMS: 100, callTimeoutMS: 60_000 });
    for (let i = 0; i < 40; i++) await store.create({ title: `long ${i}`, description: "abcdefghij1".repeat(909), tags: [], reminder: null, state: "STATE_DONE" });
    const error = await store
      .search({ pattern: "(?i)(\\pL|\\pN){900}s", tags: [], states: [], order: { field: "create_time", descending: false }, limit: 10 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(SearchBudgetError);
    expect(error.message).toStartWith("the search used its budget of 0.1 s before filling the page; narrow the pattern");
    await store.close();
  }, 120_000);
}
