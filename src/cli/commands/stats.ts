// `todo stats`: what the projection (`todo project`'s SQLite file) knows, read-only; no daemon needed.
import { defineCommand } from "../define-command";
import { CliError } from "../errors";
import { projectionArgs, projectionPath } from "../projection-args";
import { inert, inertJson } from "../text";

const BREAKDOWNS = ["tag", "state", "day"] as const;
const OVERDUE_SHOWN = 10;
const TAGS_SHOWN = 10;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function table(rows: [string, number][], header: string): string[] {
  const width = Math.max(header.length, ...rows.map(([k]) => k.length));
  return [`${header.padEnd(width)}  COUNT`, ...rows.map(([k, n]) => `${inert(k).padEnd(width)}  ${n}`)];
}

export default defineCommand({
  meta: {
    name: "stats",
    description: "Counts from the projection todo project keeps: todos by state and tag, DONE per day, overdue reminders, and how far it has read",
  },
  args: {
    by: { type: "enum", options: [...BREAKDOWNS], description: "Only one breakdown: tag, state, or day (DONE transitions per UTC day)", valueHint: "what" },
    todos: { type: "boolean", description: "Print the projected todos as JSON Lines instead (as todo export does)" },
    ...projectionArgs,
    json: { type: "boolean", description: "Print JSON for scripts: total, by_state, by_tag, done_by_day, overdue, offset, … (with --by: that breakdown alone)" },
  },
  async run({ args }) {
    const path = projectionPath(args);
    const { NoProjectionError, ProjectionModel } = await import("../../events/projection-model");
    let model;
    try {
      model = ProjectionModel.openForReading(path);
    } catch (e) {
      if (e instanceof NoProjectionError) throw new CliError(e.message);
      throw e;
    }
    try {
      if (args.todos) {
        const { todoToJson } = await import("../../wire/json");
        const { toProtoTodo } = await import("../../wire/todo-v1");
        for (const todo of model.todos()) console.log(inertJson(todoToJson(toProtoTodo(todo))));
        return;
      }
      const stats = model.stats();
      if (args.by) {
        const breakdown = args.by === "tag" ? stats.by_tag : args.by === "state" ? stats.by_state : stats.done_by_day;
        if (args.json) return console.log(inertJson(breakdown));
        const rows = Object.entries(breakdown);
        if (rows.length === 0) return console.log(args.by === "tag" ? "no todo has a tag" : "no todo was done yet");
        return console.log(table(rows, args.by === "day" ? "DAY (UTC)" : args.by.toUpperCase()).join("\n"));
      }
      if (args.json) return console.log(inertJson(stats));
      const lines = [
        `${plural(stats.total, "todo")}: ${Object.entries(stats.by_state)
          .map(([state, n]) => `${n} ${state}`)
          .join(", ")}`,
      ];
      const tags = Object.entries(stats.by_tag);
      if (tags.length)
        lines.push(`Tags: ${tags.slice(0, TAGS_SHOWN).map(([tag, n]) => `${inert(tag)} ${n}`).join(", ")}${tags.length > TAGS_SHOWN ? ` (the first ${TAGS_SHOWN} of ${tags.length}; --by tag for all)` : ""}`);
      const days = Object.entries(stats.done_by_day);
      if (days.length) lines.push(`Done per day (UTC): ${days.slice(-7).map(([day, n]) => `${day} ${n}`).join(", ")}${days.length > 7 ? ` (last 7 of ${days.length} days; --by day for all)` : ""}`);
      lines.push(`Overdue: ${stats.overdue} (reminder passed, not done); ${plural(stats.reminders_fired, "reminder")} fired`);
      for (const todo of model.overdue(OVERDUE_SHOWN))
        lines.push(`  ${inert(todo.id)}  ${new Date(todo.reminder).toISOString()}  ${JSON.stringify(inert(todo.title))}${todo.fired ? "  (fired)" : ""}`);
      if (stats.overdue > OVERDUE_SHOWN) lines.push(`  … and ${stats.overdue - OVERDUE_SHOWN} more`);
      lines.push(
        stats.updated_at === null
          ? `Nothing projected yet: todo project has not applied a message${stats.stream === null ? "" : ` of stream ${inert(stats.stream)}`}.`
          : `Stream ${inert(stats.stream ?? "")}: resumes at offset ${stats.offset}; ${plural(stats.events_applied, "event")} applied (up to log position ${stats.last_position}), ${plural(stats.duplicates, "duplicate")} passed over, ${stats.rejected} rejected${stats.updated_at ? `; updated ${stats.updated_at}` : ""}`,
      );
      if (stats.rejected > 0) {
        const last = model.rejectedMessages(1)[0];
        if (last) lines.push(`  last rejected: offset ${last.stream_offset}: ${inert(last.reason)}`);
      }
      console.log(lines.join("\n"));
    } finally {
      model.close();
    }
  },
});
