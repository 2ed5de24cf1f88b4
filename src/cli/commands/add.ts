import { defineCommand } from "../define-command";
import { connectionArgs, jsonArg, todoFieldArgs } from "../args";
import { withClient } from "../client";
import { createTodo } from "../create-todo";
import { attributeWords } from "../attribute-words";
import { CliError } from "../errors";
import { splitWords } from "../filters";
import { parseList, parseState } from "../input";
import { printJson } from "../output";
import { parseTime } from "../time-input";
import { uniqueTags } from "../../vocabulary/todo";

export default defineCommand({
  meta: {
    name: "add",
    description:
      "Create a todo and print its id. The words are the title, +word a tag; or give the title with --title.\n\nExamples:\n  todo add buy milk +shop --reminder 'tomorrow 9:00'\n  todo add \"call Ana\" --description 'about the move' --reminder +2h\n  todo create --title=ori --tags=job --reminder=$(date +%s)",
  },
  args: {
    words: { type: "positional", description: "The title (words are joined by spaces), and +tag words", valueHint: "title", required: false, variadic: true },
    ...todoFieldArgs,
    ...connectionArgs,
    ...jsonArg,
  },
  run: ({ args }) => {
    // Words are checked before a connection (which may start the local daemon).
    const { words: given, plusTags } = splitWords(args);
    // due:TIME and state:STATE words, as todo modify takes them (a word after -- stays the title's).
    const literalFrom = typeof args["--"] === "number" ? args["--"] : args._.length;
    const attributes = attributeWords(given.map((w) => (/^-/.test(w) ? ` ${w}` : w)), given.length - (args._.length - literalFrom));
    const words = attributes.titleWords.map((w) => w.replace(/^ -/, "-"));
    const { reminder: due, state: stateWord } = attributes.changes;
    if (due !== undefined && args.reminder !== undefined) throw new CliError("give the reminder once: due:… or --reminder", "input");
    if (stateWord !== undefined && args.state !== undefined) throw new CliError("give the state once: state:… or --state", "input");
    return withClient(args, async (client) => {
      if (words.length && args.title !== undefined) throw new CliError(`give the title once: as words ("${words.join(" ")}") or with --title`, "input");
      if (!words.length && args.title === undefined) throw new CliError('missing the title: todo add buy milk (or --title "buy milk")', "input");
      const todo = await createTodo(client, {
        title: args.title ?? words.join(" "),
        description: args.description ?? "",
        tags: uniqueTags([...parseList(args.tags ?? ""), ...plusTags]),
        state: stateWord ?? (args.state ? parseState("--state", args.state) : "STATE_NOT_STARTED"),
        reminder: due !== undefined ? due : args.reminder ? parseTime("--reminder", args.reminder) : null,
      });
      if (args.json) printJson(todo);
      else console.log(`created ${todo.id}`);
    });
  },
});
