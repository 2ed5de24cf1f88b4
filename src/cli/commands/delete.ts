import { defineCommand } from "../define-command";
import { connectionArgs, etagArg, filterArgs, idsArgs, jsonArg } from "../args";
import { confirm, forEach, targets } from "../bulk";
import { withClient } from "../client";
import { CliError } from "../errors";
import { printJson } from "../output";
import { count, inert } from "../text";

export default defineCommand({
  meta: {
    name: "delete",
    description:
      "Delete todos, by id or every one a filter selects (after asking, unless --yes). A todo that changed since the filter listed it is left alone.\n\nExamples:\n  todo delete 6b0a 6b0c\n  todo delete --tags old --states DONE --yes",
  },
  args: {
    ...idsArgs,
    ...filterArgs,
    ...etagArg,
    yes: { type: "boolean", alias: "y", description: "Delete what a filter selects without asking" },
    ...connectionArgs,
    ...jsonArg,
  },
  run: ({ args }) =>
    withClient(args, async (client) => {
      const { targets: selected, filtered } = await targets(client, args, "delete");
      if (args.etag !== undefined && (filtered || selected.length > 1)) throw new CliError("--etag is one todo's: give one id with it", "input");
      if (filtered) {
        if (selected.length === 0) return console.log("no todos match: nothing deleted");
        await confirm(`delete ${count(selected.length, "todo")}`, args.yes);
      }
      await forEach(
        selected,
        async (t) => {
          // --json prints the todo as it was: read it first, and delete that version only.
          const todo = t.listed ?? (args.json ? await client.get(t.id) : undefined);
          await client.delete(t.id, { etag: args.etag ?? todo?.etag });
          return todo;
        },
        (todo, t) => (args.json ? printJson(todo!) : console.log(`deleted ${inert(t.id)}`)),
      );
    }),
});
