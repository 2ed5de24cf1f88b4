import { defineCommand } from "citty";
import { connectionArgs, jsonArg, todoFieldArgs } from "../args";
import { withClient } from "../client";
import { parseList, parseState } from "../input";
import { parseTime } from "../time-input";
import { printJson } from "../output";

export default defineCommand({
  meta: { name: "create", description: "Create a todo and print its id" },
  args: { ...todoFieldArgs, title: { ...todoFieldArgs.title, required: true }, ...connectionArgs, ...jsonArg },
  run: ({ args }) =>
    withClient(args, async (client) => {
      const todo = await client.call("CreateTodo", {
        todo: {
          title: args.title,
          description: args.description ?? "",
          tags: parseList(args.tags ?? ""),
          state: args.state ? parseState("--state", args.state) : "STATE_NOT_STARTED",
          reminder: args.reminder ? parseTime("--reminder", args.reminder) : null,
        },
      });
      if (args.json) printJson(todo);
      else console.log(`created ${todo.id}`);
    }),
});
