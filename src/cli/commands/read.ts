import { defineCommand } from "citty";
import { colorArg, connectionArgs, idArg, jsonArg } from "../args";
import { withClient } from "../client";
import { lookFor, printJson, printRecord } from "../output";

export default defineCommand({
  meta: { name: "read", description: "Show one todo (alias: get)" },
  args: { ...idArg, ...connectionArgs, ...jsonArg, ...colorArg },
  run: ({ args }) =>
    withClient(args, async (client) => {
      const todo = await client.call("GetTodo", { id: args.id });
      if (args.json) printJson(todo);
      else printRecord(todo, lookFor(args.color));
    }),
});
