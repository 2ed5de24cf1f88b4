// `todo search` and `todo list`: one listing with two sets of defaults, printed page by page as it
// comes (src/cli/pages.ts, src/cli/table.ts): memory holds a page, whatever the number of todos.
import { defineCommand } from "./define-command";
import type { _todo_v1_Todo_State } from "../proto/gen/types/todo/v1/Todo";
import { colorArg, connectionArgs, filterArgs, jsonArg } from "./args";
import { withClient } from "./client";
import { CliError } from "./errors";
import { filterOf, positionalPattern, splitWords } from "./filters";
import { shownIds } from "./ids";
import { jsonLines, lookFor } from "./output";
import { searchPages } from "./pages";
import { type Table, tableFor } from "./table";
import { terminalWidth, writeStdout } from "./terminal";

export interface ListingDefaults {
  name: string;
  description: string;
  /** States listed when --states is not given; empty: every state. */
  states: _todo_v1_Todo_State[];
  orderBy: string;
}

export function listing(defaults: ListingDefaults) {
  return defineCommand({
    meta: { name: defaults.name, description: defaults.description },
    args: {
      words: { type: "positional", description: "Text found in title or description, ignoring case unless it holds a capital (/re/: a regular expression, RE2, as --pattern), and +tag words (the todo carries them all)", valueHint: "pattern", required: false, variadic: true },
      ...filterArgs,
      "order-by": { type: "string", description: `create_time, update_time, reminder (no reminder counts as latest) or title, optionally followed by ' desc'`, valueHint: "field", default: defaults.orderBy },
      limit: { type: "string", description: "Print at most this many todos", valueHint: "n" },
      ...connectionArgs,
      ...jsonArg,
      ...colorArg,
    },
    run: ({ args }) => {
      // The words are checked before a connection (which may start the local daemon).
      const { words, plusTags } = splitWords(args);
      if (words.length > 1) throw new CliError(`one PATTERN only, got ${words.length} words: quote it, as in todo ${defaults.name} "${words.join(" ")}"`, "input");
      return withClient(args, async (client) => {
        const limit = args.limit === undefined ? Infinity : Number(args.limit);
        if (!(Number.isInteger(limit) || limit === Infinity) || limit < 1) throw new CliError(`--limit: "${args.limit}" is not a positive whole number`, "input");
        const filter = filterOf(args, plusTags, words[0] === undefined ? undefined : positionalPattern(words[0]));
        if (args.states === undefined) filter.states = defaults.states;
        const pages = searchPages(client, { ...filter, order_by: args["order-by"] }, limit);
        // Each page is printed as it comes (the next one is on its way meanwhile), and then let go.
        if (args.json) {
          for await (const todos of pages) writeStdout(jsonLines(todos));
          return;
        }
        let table: Table | undefined;
        for await (const todos of pages) {
          if (table) {
            writeStdout(table.rows(todos));
            continue;
          }
          // Shortened ids only where a person reads them; piped, the whole id (nothing is cut).
          const ids = terminalWidth() === undefined ? undefined : await shownIds(client);
          table = tableFor(todos, lookFor(args.color, ids));
          writeStdout(table.header + table.rows(todos));
        }
        if (!table) writeStdout("no todos match\n");
      });
    },
  });
}
