import { defineCommand } from "../define-command";
import { connectionArgs, etagArg, idsArgs, jsonArg, todoFieldArgs } from "../args";
import { forEach } from "../bulk";
import { type TodoChanges, withClient } from "../client";
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
      const changes: TodoChanges = {
        title: args.title,
        description: args.description,
        tags: args.tags === undefined ? undefined : parseList(args.tags),
        state: args.state === undefined ? undefined : parseState("--state", args.state),
        reminder: args.reminder === undefined ? undefined : args.reminder ? parseTime("--reminder", args.reminder) : null,
      };
      if (Object.values(changes).every((value) => value === undefined)) throw new CliError("nothing to update: give at least one of --title, --description, --state, --tags, --reminder", "input");
      const targets = (await resolveIds(client, words)).map((id) => ({ id }));
      await forEach(
        targets,
        (t) => client.update(t.id, changes, { etag: args.etag }),
        (updated) => (args.json ? printJson(updated) : console.log(`updated ${updated.id}`)),
      );
    }),
});
