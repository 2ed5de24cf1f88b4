// `todo modify`, as Taskwarrior's: the todos (ids, numbers or prefixes first, or a filter's flags), then
// what changes, in words: +tag and -tag add and remove one tag, due:TIME the reminder (due: clears it),
// state:STATE, and any other words the new title. A change to more than 2 todos asks first.
import { defineCommand } from "../define-command";
import type { Todo__Output } from "../../proto/gen/types/todo/v1/Todo";
import { connectionArgs, filterArgs, jsonArg } from "../args";
import { confirm, firstOf, forEach, selectAll, type Target, UNASKED } from "../bulk";
import { type TodoChanges, withClient } from "../client";
import { CliError } from "../errors";
import { filterOf, filters } from "../filters";
import { attributeWords } from "../attribute-words";
import { namesTodo, resolveIds } from "../ids";
import { printJson } from "../output";
import { inert } from "../text";
import { uniqueTags } from "../../vocabulary/todo";

export default defineCommand({
  meta: {
    name: "modify",
    description:
      "Change todos with words: +tag adds a tag, -tag removes one, due:TIME sets the reminder (due: clears it), state:STATE, other words are the new title. More than 2 todos: asks first, unless --yes.\n\nExamples:\n  todo modify 1 +home -work due:tomorrow\n  todo modify 3 call the bank state:started\n  todo modify --tags shop +errand --yes",
  },
  args: {
    words: { type: "positional", description: "Ids (numbers, prefixes), then +tag, -tag, due:TIME, state:STATE and title words", valueHint: "word", required: false, variadic: true, tagWords: true },
    ...filterArgs,
    yes: { type: "boolean", alias: "y", description: "Change more than 2 todos without asking" },
    ...connectionArgs,
    ...jsonArg,
  },
  run: ({ args }) => {
    const all = args._ as string[];
    const literalFrom = typeof args["--"] === "number" ? (args["--"] as number) : all.length;
    const filter = filterOf(args, []);
    const byFilter = filters(filter);
    let idCount = 0;
    if (!byFilter) while (idCount < Math.min(all.length, literalFrom) && namesTodo(all[idCount]!)) idCount++;
    const { addTags, removeTags, changes, titleWords } = attributeWords(all.slice(idCount), literalFrom - idCount);
    if (titleWords.length) changes.title = titleWords.join(" ");
    if (!byFilter && idCount === 0) throw new CliError("which todos? give ids or numbers first (todo modify 1 +home) or a filter (--tags, --states, --pattern, …)", "input");
    if (!addTags.length && !removeTags.length && Object.keys(changes).length === 0) throw new CliError("nothing to change: give +tag, -tag, due:TIME, state:STATE or title words", "input");
    const both = addTags.find((t) => removeTags.includes(t));
    if (both) throw new CliError(`+${both} and -${both}: give one`, "input");
    return withClient(args, async (client) => {
      const targets: Target[] = byFilter
        ? (await selectAll(client, filter)).map((todo) => ({ id: todo.id, listed: todo }))
        : (await resolveIds(client, all.slice(0, idCount))).map((id) => ({ id }));
      if (targets.length === 0) return console.log("no todos match: nothing changed");
      if (targets.length > UNASKED) {
        const listed = await Promise.all(targets.slice(0, 3).map(async (t) => t.listed ?? (await client.get(t.id))));
        await confirm(`change ${firstOf(listed, targets.length)}`, args.yes);
      }
      await forEach(
        targets,
        async (t) => {
          const current: Todo__Output = t.listed ?? (await client.get(t.id));
          const wanted: TodoChanges = { ...changes };
          if (addTags.length || removeTags.length) wanted.tags = uniqueTags([...current.tags.filter((tag) => !removeTags.includes(tag)), ...addTags]);
          const differs = (Object.keys(wanted) as (keyof TodoChanges)[]).filter((f) => JSON.stringify(normal(wanted[f])) !== JSON.stringify(normal(current[f])));
          if (differs.length === 0) return { todo: current, written: false };
          const only = Object.fromEntries(differs.map((f) => [f, wanted[f]])) as TodoChanges;
          // Changed only if still as read: the tags kept are those read.
          return { todo: await client.update(t.id, only, { etag: current.etag }), written: true };
        },
        ({ todo, written }) => {
          if (args.json) printJson(todo);
          else console.log(written ? `modified ${inert(todo.id)}` : `${inert(todo.id)} is already so: nothing written`);
        },
      );
    });
  },
});

/** A field's value compared as sent: timestamps by seconds, no reminder as null. */
function normal(value: unknown): unknown {
  if (value && typeof value === "object" && "seconds" in value) return String((value as { seconds: unknown }).seconds);
  return value ?? null;
}
