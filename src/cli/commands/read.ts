import { defineCommand } from "../define-command";
import { colorArg, connectionArgs, idsArgs, jsonArg } from "../args";
import { forEach, refuseWords, shellWord } from "../bulk";
import { withClient } from "../client";
import { CliError } from "../errors";
import { splitWords } from "../filters";
import { resolveIds } from "../ids";
import { lookFor, printJson, printRecord } from "../output";

export default defineCommand({
  meta: { name: "read", description: "Show todos in full, each record after a blank line (alias: get).\n\nExample:\n  todo read 6b0a 6b0c" },
  args: { ...idsArgs, ...connectionArgs, ...jsonArg, ...colorArg },
  run: ({ args }) =>
    withClient(args, async (client) => {
      const { words: ids, plusTags } = splitWords(args);
      if (plusTags.length) throw new CliError(`todo read takes ids, not +${plusTags[0]}: to see the todos with a tag, todo search +${plusTags[0]}`, "input");
      const words = [...(args.id !== undefined ? [args.id] : []), ...ids];
      if (words.length === 0) throw new CliError("which todo? give its id: todo read ID (or --id ID)", "input");
      refuseWords(words, (word) => `todo search ${shellWord(word)}`);
      const look = lookFor(args.color);
      let first = true;
      const targets = (await resolveIds(client, words)).map((id) => ({ id }));
      await forEach(targets, (t) => client.get(t.id), (todo) => {
        if (args.json) return printJson(todo);
        if (!first) console.log();
        first = false;
        printRecord(todo, look);
      });
    }),
});
