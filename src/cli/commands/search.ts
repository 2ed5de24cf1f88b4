import { defineCommand } from "citty";
import type { Todo__Output } from "../../proto/gen/types/todo/v1/Todo";
import { colorArg, connectionArgs, jsonArg } from "../args";
import { withClient } from "../client";
import { CliError } from "../errors";
import { parseList, parseState } from "../input";
import { parseTime } from "../time-input";
import { lookFor, printJson, printTable } from "../output";

const PAGE_SIZE = 500;

export default defineCommand({
  meta: { name: "search", description: "List the todos matching every filter given (all of them by default)" },
  args: {
    pattern: { type: "string", description: "Regular expression (RE2) matched against title or description", valueHint: "regex" },
    tags: { type: "string", description: "Comma-separated tags the todo carries all of", valueHint: "a,b" },
    states: { type: "string", description: "Comma-separated states, any of: NOT_STARTED, IN_PROGRESS, DONE", valueHint: "A,B" },
    "reminder-after": { type: "string", description: "Reminder at or after this time (as --reminder of add: tomorrow, +3d, 2026-12-01, …)", valueHint: "time" },
    "reminder-before": { type: "string", description: "Reminder before this time", valueHint: "time" },
    "order-by": { type: "string", description: "create_time, update_time, reminder or title, optionally followed by ' desc'", valueHint: "field" },
    limit: { type: "string", description: "Print at most this many todos", valueHint: "n" },
    ...connectionArgs,
    ...jsonArg,
    ...colorArg,
  },
  run: ({ args }) =>
    withClient(args, async (client) => {
      const limit = args.limit === undefined ? Infinity : Number(args.limit);
      if (!(Number.isInteger(limit) || limit === Infinity) || limit < 1) throw new CliError(`--limit: "${args.limit}" is not a positive whole number`, 2);
      const request = {
        pattern: args.pattern ?? "",
        tags: parseList(args.tags ?? ""),
        states: parseList(args.states ?? "").map((s) => parseState("--states", s)),
        reminder_after: args["reminder-after"] ? parseTime("--reminder-after", args["reminder-after"]) : null,
        reminder_before: args["reminder-before"] ? parseTime("--reminder-before", args["reminder-before"]) : null,
        order_by: args["order-by"] ?? "",
      };
      const found: Todo__Output[] = [];
      let page_token = "";
      do {
        const page = await client.call("SearchTodos", { ...request, page_size: Math.min(PAGE_SIZE, limit - found.length), page_token });
        for (const todo of page.todos) {
          if (args.json) printJson(todo);
          found.push(todo);
        }
        page_token = page.next_page_token;
      } while (page_token && found.length < limit);
      if (args.json) return;
      if (found.length === 0) console.log("no todos match");
      else printTable(found, lookFor(args.color));
    }),
});
