// What the client prints: a record or a table for people, proto3 JSON for scripts.
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import { timestampToRfc3339, todoToJson } from "../api/json";

const stateName = (state: string) => state.replace(/^STATE_/, "");
const time = (ts: Todo__Output["reminder"]) => (ts ? timestampToRfc3339(ts) : "-");

export function printJson(todo: Todo__Output) {
  console.log(JSON.stringify(todoToJson(todo)));
}

export function printRecord(todo: Todo__Output) {
  const rows: [string, string][] = [
    ["ID", todo.id],
    ["Title", todo.title],
    ["Description", todo.description || "-"],
    ["State", stateName(todo.state)],
    ["Tags", todo.tags.join(", ") || "-"],
    ["Reminder", time(todo.reminder)],
    ["Created", time(todo.create_time)],
    ["Updated", time(todo.update_time)],
    ["Etag", todo.etag],
  ];
  for (const [label, value] of rows) console.log(`${label.padEnd(12)} ${value}`);
}

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

export function printTable(todos: Todo__Output[]) {
  const header = ["ID", "STATE", "TITLE", "DESCRIPTION", "TAGS", "REMINDER"];
  const rows = todos.map((t) => [t.id, stateName(t.state), clip(t.title, 40), clip(t.description.replace(/\s+/g, " "), 50), t.tags.join(","), time(t.reminder)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  "));
}
