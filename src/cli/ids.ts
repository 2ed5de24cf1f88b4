// Short ids, as git abbreviates commits: any unique prefix of 4 or more hex digits names a todo, in
// any case, and the table shows each todo's shortest unique prefix. The API has no prefix lookup, so
// the client lists every id (one paged search) when it needs to resolve or shorten.
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { TodoClient } from "./client";
import { CliError } from "./errors";
import { fit, inert } from "./text";
import { ID_LENGTH, ID_PATTERN } from "../vocabulary/todo";

const MIN_PREFIX = 4;
const PAGE_SIZE = 1000;

/** Every todo's id and title, sorted by id. */
async function idIndex(client: TodoClient): Promise<{ id: string; title: string }[]> {
  const all: { id: string; title: string }[] = [];
  let page_token = "";
  do {
    const page = await client.call("SearchTodos", { page_size: PAGE_SIZE, page_token });
    for (const todo of page.todos) all.push({ id: todo.id, title: todo.title });
    page_token = page.next_page_token;
  } while (page_token);
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

/**
 * The ids that `words` name: whole ids as they are (lowercased), unique prefixes expanded. A word that
 * is no hex at all goes to the daemon unchanged, which says why it is not an id.
 */
export async function resolveIds(client: TodoClient, words: string[]): Promise<string[]> {
  const prefixes = words.filter((w) => !FULL_ID.test(w) && PREFIX.test(w));
  const tooShort = prefixes.find((w) => w.length < MIN_PREFIX);
  if (tooShort) throw new CliError(`id prefix "${tooShort}" is too short: give ${MIN_PREFIX} or more characters of the id`, "input");
  const index = prefixes.length ? await idIndex(client) : [];
  const shortest = prefixes.length ? shortestUniquePrefixes(index.map((t) => t.id)) : new Map<string, string>();
  return words.map((word) => {
    if (FULL_ID.test(word)) return word.toLowerCase();
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

/** The shortest unique prefix of each todo in `todos` among every todo in the store. */
export async function shownIds(client: TodoClient, todos: readonly Todo__Output[]): Promise<Map<string, string>> {
  if (todos.length === 0) return new Map();
  return shortestUniquePrefixes((await idIndex(client)).map((t) => t.id));
}
