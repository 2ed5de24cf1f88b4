// What selects todos: the filter flags (filterArgs) and +tag words, as a SearchTodos request.
import type { SearchTodosRequest } from "../proto/gen/types/todo/v1/SearchTodosRequest";
import { CliError } from "./errors";
import { parseList, parseState } from "./input";
import { parseTime } from "./time-input";
import { uniqueTags } from "../vocabulary/todo";

export interface FilterFlags {
  pattern?: string;
  tags?: string;
  states?: string;
  "reminder-after"?: string;
  "reminder-before"?: string;
}

/**
 * A command's positional words split into +tag words and the rest (Taskwarrior's and todo.txt's
 * habit: `todo add buy milk +shop`). Words after `--` are never tags. `args["--"]` is how many
 * positionals came before it (see command-line.ts).
 */
export function splitWords(args: { _: string[]; "--"?: unknown }): { words: string[]; plusTags: string[] } {
  const literalFrom = typeof args["--"] === "number" ? args["--"] : args._.length;
  const words: string[] = [];
  const plusTags: string[] = [];
  args._.forEach((word, i) => {
    if (i >= literalFrom || word.length < 2 || !word.startsWith("+")) return words.push(word);
    // `todo add +1 the PR`: a +number is more likely a word than a tag named 1; ask which.
    if (/^\+\d+$/.test(word))
      throw new CliError(`"${word}" would be a tag named "${word.slice(1)}": for a word, put -- before it (todo add -- ${word} …); for the tag, --tags ${word.slice(1)}`, "input");
    plusTags.push(word.slice(1));
  });
  return { words, plusTags };
}

/** RE2's metacharacters outside a class: each is matched literally once a backslash precedes it. */
const METACHARS = /[\\^$.|?*+()[\]{}]/g;

/** `text` as an RE2 pattern (also a PCRE one, for MongoDB) that matches exactly that text. */
export function escapeRegExp(text: string): string {
  return text.replace(METACHARS, "\\$&");
}

/**
 * A PATTERN word as the daemon's RE2 pattern: `/re/` is RE2, as --pattern is; any other word is
 * literal text, matched smart-case as ripgrep does (ignoring case unless the word holds a capital), so
 * `C++`, `pay $5` and `rent` find what a person expects.
 */
export function positionalPattern(word: string): string {
  if (word.length > 2 && word.startsWith("/") && word.endsWith("/")) return word.slice(1, -1);
  return (/\p{Lu}/u.test(word) ? "" : "(?i)") + escapeRegExp(word);
}

export type Filter = Pick<SearchTodosRequest, "pattern" | "tags" | "states" | "reminder_after" | "reminder_before">;

/** The filter the flags and +tags describe; `pattern` is a PATTERN argument, if the command took one. */
export function filterOf(flags: FilterFlags, plusTags: string[] = [], pattern?: string): Filter {
  if (pattern !== undefined && flags.pattern !== undefined) throw new CliError("give the pattern once: as the PATTERN argument or with --pattern", "input");
  return {
    pattern: pattern ?? flags.pattern ?? "",
    tags: uniqueTags([...parseList(flags.tags ?? ""), ...plusTags]),
    states: parseList(flags.states ?? "").map((s) => parseState("--states", s)),
    reminder_after: flags["reminder-after"] ? parseTime("--reminder-after", flags["reminder-after"]) : null,
    reminder_before: flags["reminder-before"] ? parseTime("--reminder-before", flags["reminder-before"]) : null,
  };
}

/** Whether the filter selects anything less than every todo. */
export const filters = (f: Filter) => Boolean(f.pattern || f.tags?.length || f.states?.length || f.reminder_after || f.reminder_before);
