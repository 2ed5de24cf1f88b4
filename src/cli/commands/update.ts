import { defineCommand } from "citty";
import type { Todo } from "../../proto/gen/types/todo/v1/Todo";
import { connectionArgs, etagArg, idArg, jsonArg, todoFieldArgs } from "../args";
import { withClient } from "../client";
import { CliError } from "../errors";
import { parseList, parseState } from "../input";
import { parseTime } from "../time-input";
import { printJson } from "../output";

export default defineCommand({
  meta: { name: "update", description: "Change a todo: only the flags given change" },
  args: { ...idArg, ...todoFieldArgs, ...etagArg, ...connectionArgs, ...jsonArg },
  run: ({ args }) =>
    withClient(args, async (client) => {
      const todo: Todo = { id: args.id, etag: args.etag ?? "" };
      const paths: string[] = [];
      if (args.title !== undefined) (todo.title = args.title), paths.push("title");
      if (args.description !== undefined) (todo.description = args.description), paths.push("description");
      if (args.tags !== undefined) (todo.tags = parseList(args.tags)), paths.push("tags");
      if (args.state !== undefined) (todo.state = parseState("--state", args.state)), paths.push("state");
      if (args.reminder !== undefined) (todo.reminder = args.reminder ? parseTime("--reminder", args.reminder) : null), paths.push("reminder");
      if (paths.length === 0) throw new CliError("nothing to update: give at least one of --title, --description, --state, --tags, --reminder", 2);
      const updated = await client.call("UpdateTodo", { todo, update_mask: { paths } });
      if (args.json) printJson(updated);
      else console.log(`updated ${updated.id}`);
    }),
});
