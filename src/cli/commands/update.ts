import { defineCommand } from "citty";
import type { Todo } from "../../proto/gen/types/todo/v1/Todo";
import { connectionArgs, etagArg, idsArgs, jsonArg, todoFieldArgs } from "../args";
import { forEach } from "../bulk";
import { withClient } from "../client";
import { CliError } from "../errors";
import { splitWords } from "../filters";
import { resolveIds } from "../ids";
import { parseList, parseState } from "../input";
import { printJson } from "../output";
import { parseTime } from "../time-input";

export default defineCommand({
  meta: {
    name: "update",
    description: 'Change todos: only the flags given change (--tags "" clears the tags, --reminder "" the reminder).\n\nExamples:\n  todo update 6b0a --reminder "friday 17:00"\n  todo update 6b0a 6b0c --tags home,weekend',
  },
  args: { ...idsArgs, ...todoFieldArgs, ...etagArg, ...connectionArgs, ...jsonArg },
  run: ({ args }) =>
    withClient(args, async (client) => {
      const { words: ids, plusTags } = splitWords(args);
      if (plusTags.length) throw new CliError(`todo update takes ids, not +${plusTags[0]}: set tags with --tags a,b`, "input");
      const words = [...(args.id !== undefined ? [args.id] : []), ...ids];
      if (words.length === 0) throw new CliError("which todo? give its id: todo update ID --title … (or --id ID)", "input");
      if (args.etag !== undefined && words.length > 1) throw new CliError("--etag is one todo's: give one id with it", "input");
      const fields: Todo = {};
      const paths: string[] = [];
      if (args.title !== undefined) (fields.title = args.title), paths.push("title");
      if (args.description !== undefined) (fields.description = args.description), paths.push("description");
      if (args.tags !== undefined) (fields.tags = parseList(args.tags)), paths.push("tags");
      if (args.state !== undefined) (fields.state = parseState("--state", args.state)), paths.push("state");
      if (args.reminder !== undefined) (fields.reminder = args.reminder ? parseTime("--reminder", args.reminder) : null), paths.push("reminder");
      if (paths.length === 0) throw new CliError("nothing to update: give at least one of --title, --description, --state, --tags, --reminder", "input");
      const targets = (await resolveIds(client, words)).map((id) => ({ id }));
      await forEach(
        targets,
        (t) => client.call("UpdateTodo", { todo: { ...fields, id: t.id, etag: args.etag ?? "" }, update_mask: { paths } }),
        (updated) => (args.json ? printJson(updated) : console.log(`updated ${updated.id}`)),
      );
    }),
});
