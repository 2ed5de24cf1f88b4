import { defineCommand } from "citty";
import { connectionArgs, etagArg, idArg } from "../args";
import { withClient } from "../client";

export default defineCommand({
  meta: { name: "delete", description: "Delete a todo" },
  args: { ...idArg, ...etagArg, ...connectionArgs },
  run: ({ args }) =>
    withClient(args, async (client) => {
      await client.call("DeleteTodo", { id: args.id, etag: args.etag ?? "" });
      console.log(`deleted ${args.id}`);
    }),
});
