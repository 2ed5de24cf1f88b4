import { defineCommand } from "citty";
import { connectionArgs, idArg, jsonArg } from "../args";
import { withClient } from "../client";
import { printJson, printRecord } from "../output";

export default defineCommand({
  meta: { name: "read", description: "Show one todo (alias: get)" },
  args: { ...idArg, ...connectionArgs, ...jsonArg },
  run: ({ args }) =>
    withClient(args, async (client) => {
      const todo = await client.call("GetTodo", { id: args.id });
      if (args.json) printJson(todo);
      else printRecord(todo);
    }),
});
