// Short names. A todo's number (1, 2, …: decimal digits without a leading zero, docs/short-numbers.md)
// names it; so does, as git abbreviates commits, any unique prefix of 4 or more hex digits of its id, in
// any case, and the table shows each todo's shortest unique prefix. A word that is decimal without a
// leading zero is always a number, never a prefix (an id prefix of digits only is named by typing on to
// its first letter, or the whole id). The API has no lookup by number or prefix, so the client lists
// every id (one paged search) when it needs to resolve or shorten.
import type { TodoClient } from "./client";
import { CliError } from "./errors";
import { searchPages } from "./pages";
import { fit, inert } from "./text";
import { ID_LENGTH, ID_PATTERN } from "../vocabulary/todo";

const MIN_PREFIX = 4;

/** Every todo's id, title and number, sorted by id. */
async function idIndex(client: TodoClient): Promise<{ id: string; title: string; number: string }[]> {
  const all: { id: string; title: string; number: string }[] = [];
  for await (const todos of searchPages(client, {})) for (const todo of todos) all.push({ id: todo.id, title: todo.title, number: todo.number });
  return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The shortest prefix (at least MIN_PREFIX long) that no other of `ids` shares, for each id. */
export function shortestUniquePrefixes(ids: readonly string[]): Map<string, string> {
  const sorted = [...new Set(ids)].sort();
  const common = (a: string | undefined, b: string) => {
    let n = 0;
    while (a !== undefined && n < a.length && a[n] === b[n]) n++;
    return n;
  };
  const prefixes = new Map<string, string>();
  sorted.forEach((id, i) => prefixes.set(id, id.slice(0, Math.max(MIN_PREFIX, common(sorted[i - 1], id) + 1, common(sorted[i + 1], id) + 1))));
  return prefixes;
}

// A person may type an id in either case; the daemon takes it in lowercase.
const FULL_ID = new RegExp(ID_PATTERN.source, "i");
const PREFIX = new RegExp(`^[0-9a-f]{1,${ID_LENGTH - 1}}$`, "i");
/** A todo's number: decimal, no leading zero (so "0123" stays a prefix), at most 15 digits. */
export const NUMBER = /^[1-9][0-9]{0,14}$/;

/** Whether `word` names a todo the way resolveIds reads it: a whole id, a number, or a prefix of 4 or more hex digits. */
export const namesTodo = (word: string) => FULL_ID.test(word) || NUMBER.test(word) || (PREFIX.test(word) && word.length >= MIN_PREFIX);

/**
 * The ids that `words` name: whole ids as they are (lowercased), numbers and unique prefixes expanded. A
 * word that is no hex at all goes to the daemon unchanged, which says why it is not an id.
 */
export async function resolveIds(client: TodoClient, words: string[]): Promise<string[]> {
  const prefixes = words.filter((w) => !FULL_ID.test(w) && !NUMBER.test(w) && PREFIX.test(w));
  const tooShort = prefixes.find((w) => w.length < MIN_PREFIX);
  if (tooShort) throw new CliError(`id prefix "${tooShort}" is too short: give ${MIN_PREFIX} or more characters of the id, or the todo's number`, "input");
  const lookup = prefixes.length > 0 || words.some((w) => !FULL_ID.test(w) && NUMBER.test(w));
  const index = lookup ? await idIndex(client) : [];
  const shortest = prefixes.length ? shortestUniquePrefixes(index.map((t) => t.id)) : new Map<string, string>();
  return words.map((word) => {
    if (FULL_ID.test(word)) return word.toLowerCase();
    if (NUMBER.test(word)) {
      const numbered = index.find((t) => t.number === word);
      if (numbered) return numbered.id;
      const prefixOf = word.length >= MIN_PREFIX ? index.find((t) => t.id.startsWith(word)) : undefined;
      if (prefixOf) {
        const letter = prefixOf.id.search(/[a-f]/);
        throw new CliError(`no todo has number ${word}; digits alone are a number: for the id that starts ${word}, type on to its first letter (${prefixOf.id.slice(0, letter + 1)}) or give the whole id`, "input");
      }
      throw new CliError(`no todo has number ${word} (todo ls shows each todo's number)`);
    }
    if (!PREFIX.test(word)) return word;
    const prefix = word.toLowerCase();
    const matches = index.filter((t) => t.id.startsWith(prefix));
    if (matches.length === 1) return matches[0]!.id;
    if (matches.length === 0) throw new CliError(`no todo has an id that starts with ${prefix}`);
    const shown = matches.slice(0, 5).map((t) => `${shortest.get(t.id)} (${fit(inert(t.title), 30)})`);
    const more = matches.length > 5 ? ` and ${matches.length - 5} more` : "";
    throw new CliError(`id prefix ${prefix} is ambiguous: ${shown.join(", ")}${more}; give more characters`, "input");
  });
}

/** The shortest unique prefix of each todo's id among every todo in the store (the ids alone are kept). */
export async function shownIds(client: TodoClient): Promise<Map<string, string>> {
  const ids: string[] = [];
  for await (const todos of searchPages(client, {})) for (const todo of todos) ids.push(todo.id);
  return shortestUniquePrefixes(ids);
}
