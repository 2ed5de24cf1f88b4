// The projection's model on a real SQLite file: what each event does, and what a duplicate does not.
import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TodoRecord } from "../todos/model";
import type { ChangeKind, TodoEvent } from "../todos/ports";
import { NoProjectionError, ProjectionModel, REJECTED_KEPT, type StreamItem } from "./projection-model";

const file = () => join(mkdtempSync(join(tmpdir(), "projection-model-")), "projection.db");
const DAY = Date.UTC(2026, 10, 28, 10);

let position = 0;
function event(kind: ChangeKind, version: number, fields: Partial<TodoRecord> = {}, extra: Partial<TodoEvent> = {}): TodoEvent {
  const todo: TodoRecord = { id: "t1", title: "a", description: "", tags: [], reminder: null, state: "STATE_NOT_STARTED", createTime: DAY, updateTime: DAY, version, number: 0, ...fields };
  return { position: ++position, eventId: crypto.randomUUID(), kind, todoId: todo.id, version, time: DAY, actor: "", changedFields: [], todo, ...extra };
}

/** Applies events as one batch each, at consecutive offsets. */
function applyAll(model: ProjectionModel, events: TodoEvent[]) {
  let offset = model.resumeOffset() ?? 0;
  const totals = { applied: 0, duplicates: 0, rejected: 0 };
  for (const e of events) {
    const r = model.applyBatch([{ offset, event: e }], ++offset);
    totals.applied += r.applied;
    totals.duplicates += r.duplicates;
  }
  return totals;
}

describe("the projection model", () => {
  test("a todo through its life: counts, tags, DONE per day; a duplicate at any point changes nothing", () => {
    const model = ProjectionModel.openForWriting(file());
    const life = [
      event("created", 1, { tags: ["a", "b"] }),
      event("updated", 2, { tags: ["b"], state: "STATE_DONE" }),
      event("updated", 3, { tags: ["b"], state: "STATE_IN_PROGRESS" }),
      event("updated", 4, { tags: ["b", "c"], state: "STATE_DONE" }, { time: DAY + 86_400_000 }),
    ];
    expect(applyAll(model, life)).toEqual({ applied: 4, duplicates: 0, rejected: 0 });
    const before = model.stats();
    expect(before).toMatchObject({ total: 1, by_state: { NOT_STARTED: 0, IN_PROGRESS: 0, DONE: 1 }, by_tag: { b: 1, c: 1 }, done_by_day: { "2026-11-28": 1, "2026-11-29": 1 } });
    expect(applyAll(model, [...life].reverse())).toEqual({ applied: 0, duplicates: 4, rejected: 0 });
    const { offset, duplicates, updated_at, ...rest } = model.stats();
    expect({ ...before, ...rest }).toEqual(before);
    expect([...model.todos()].map((t) => [t.version, t.state, t.tags])).toEqual([[4, "STATE_DONE", ["b", "c"]]]);
  });

  test("a delete leaves a tombstone: a late duplicate does not bring the todo back; a new generation does", () => {
    const model = ProjectionModel.openForWriting(file());
    const created = event("created", 1, { tags: ["x"] });
    applyAll(model, [created, event("deleted", 2, { tags: ["x"] })]);
    expect(applyAll(model, [created])).toEqual({ applied: 0, duplicates: 1, rejected: 0 });
    expect(model.stats()).toMatchObject({ total: 0, by_tag: {} });
    applyAll(model, [event("created", 3, { title: "again" })]);
    expect([...model.todos()].map((t) => [t.title, t.version])).toEqual([["again", 3]]);
  });

  test("reminder_due: counted once per reminder, dropped with its todo, overdue until done", () => {
    const model = ProjectionModel.openForWriting(file());
    const reminder = DAY - 3_600_000;
    const due = event("reminder_due", 1, { reminder }, { reminder });
    expect(applyAll(model, [event("created", 1, { reminder }), due, due])).toEqual({ applied: 2, duplicates: 1, rejected: 0 });
    expect(model.stats(DAY)).toMatchObject({ overdue: 1, reminders_fired: 1 });
    expect(model.overdue(10, DAY)).toEqual([{ id: "t1", title: "a", reminder, fired: true }]);
    applyAll(model, [event("updated", 2, { reminder, state: "STATE_DONE" })]);
    expect(model.stats(DAY)).toMatchObject({ overdue: 0, reminders_fired: 1 });
    applyAll(model, [event("deleted", 3, { reminder })]);
    expect(model.stats(DAY)).toMatchObject({ overdue: 0, reminders_fired: 0 });
  });

  test("the offset commits with its batch; rejected messages are kept up to a bound and counted", () => {
    const path = file();
    const model = ProjectionModel.openForWriting(path);
    model.claimStream("s");
    const items: StreamItem[] = Array.from({ length: REJECTED_KEPT + 5 }, (_, i) => ({ offset: i, rejected: { reason: `bad ${i}` } }));
    model.applyBatch(items, items.length);
    model.close();
    const reopened = ProjectionModel.openForReading(path);
    expect(reopened.resumeOffset()).toBe(REJECTED_KEPT + 5);
    expect(reopened.stats().rejected).toBe(REJECTED_KEPT + 5);
    expect(reopened.rejectedMessages(REJECTED_KEPT + 10).length).toBe(REJECTED_KEPT);
    expect(reopened.rejectedMessages(1)[0]).toMatchObject({ stream_offset: REJECTED_KEPT + 4, reason: `bad ${REJECTED_KEPT + 4}` });
    reopened.close();
  });

  test("a file of another stream, a missing file and a file that is not a projection are refused", () => {
    const path = file();
    const model = ProjectionModel.openForWriting(path);
    model.claimStream("one");
    expect(() => model.claimStream("two")).toThrow(/holds stream "one", not "two"/);
    model.close();
    expect(() => ProjectionModel.openForReading(join(path, "..", "missing.db"))).toThrow(NoProjectionError);
    const other = join(path, "..", "other.db");
    writeFileSync(other, "");
    expect(() => ProjectionModel.openForReading(other)).toThrow(/is not a projection/);
  });

  test("a todo's short number is projected; a file of schema 1 (before numbers) gains the column and keeps its todos", () => {
    const path = file();
    const old = new Database(path, { create: true, strict: true });
    old.run(`CREATE TABLE todos (id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
      title TEXT, description TEXT, state TEXT, tags TEXT, reminder INTEGER, create_time INTEGER, update_time INTEGER, position INTEGER NOT NULL)`);
    old.run("INSERT INTO todos VALUES ('t0', 1, 0, 'before', '', 'STATE_NOT_STARTED', '[]', NULL, 1, 1, 1)");
    old.run("PRAGMA user_version = 1");
    old.close();
    const before = ProjectionModel.openForReading(path);
    expect([...before.todos()].map((t) => [t.id, t.number])).toEqual([["t0", 0]]);
    before.close();
    const model = ProjectionModel.openForWriting(path);
    applyAll(model, [event("created", 1, { number: 7 })]);
    expect([...model.todos()].map((t) => [t.id, t.number])).toEqual([
      ["t0", 0],
      ["t1", 7],
    ]);
    model.close();
  });
});
