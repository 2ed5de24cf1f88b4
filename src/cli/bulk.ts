// Commands that act on several todos (done, start, update, delete, read): the todos come as ids (or
// unique prefixes), or as a filter that selects them; the calls then run 16 at a time, and a failure
// of one is reported without stopping the others.
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { TodoClient } from "./client";
import { CliError } from "./errors";
import { escapeRegExp, type Filter, type FilterFlags, filterOf, filters, splitWords } from "./filters";
import { resolveIds } from "./ids";
import { searchPages } from "./pages";
import { writeStderr } from "./terminal";
import { count, fit, inert } from "./text";

/** Calls in flight at once: enough to hide the round trip, well under the daemon's concurrent-stream limit. */
const CONCURRENCY = 16;

/** A todo to act on: its id, and when a filter selected it, the todo as listed (its etag guards the change). */
export interface Target {
  id: string;
  listed?: Todo__Output;
}

export interface TargetArgs extends FilterFlags {
  _: string[];
  "--"?: unknown;
  id?: string;
}

/** Every todo the filter selects, all pages. */
export async function selectAll(client: TodoClient, filter: Filter): Promise<Todo__Output[]> {
  const all: Todo__Output[] = [];
  for await (const todos of searchPages(client, filter)) all.push(...todos);
  return all;
}

/**
 * The todos a command names: ids (arguments, or --id) or a filter (flags and +tag words), never both.
 * `defaultStates` narrows a filter that gives no --states (done need not select what is done already).
 */
export async function targets(client: TodoClient, args: TargetArgs, command: string, defaultStates: Filter["states"] = []): Promise<{ targets: Target[]; filtered: boolean }> {
  const { words, plusTags } = splitWords(args);
  const ids = [...(args.id !== undefined ? [args.id] : []), ...words];
  const filter = filterOf(args, plusTags);
  if (ids.length && filters(filter)) throw new CliError(`give ids or a filter, not both: todo ${command} ID… or todo ${command} --tags …`, "input");
  if (ids.length) {
    refuseWords(ids, (word) => `todo ${command} --pattern ${shellWord(escapeRegExp(word))} (to see them first: todo search ${shellWord(word)})`);
    return { targets: (await resolveIds(client, ids)).map((id) => ({ id })), filtered: false };
  }
  if (!filters(filter)) throw new CliError(`which todos? give ids (todo ${command} ID…) or a filter (--tags, +tag, --states, --pattern, --reminder-before, …)`, "input");
  if (!args.states && defaultStates?.length) filter.states = defaultStates;
  return { targets: (await selectAll(client, filter)).map((todo) => ({ id: todo.id, listed: todo })), filtered: true };
}

/** A word as a shell takes it back: quoted when it holds anything but plain characters. */
export const shellWord = (word: string) => (/^[\w.,:@%+=\/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * `todo done milk`: a word with a letter past f is no id nor id prefix (ids are hex digits), and a
 * person who types one means the todos it names; refused (exit 2) with the command that does that.
 */
export function refuseWords(words: string[], instead: (word: string) => string): void {
  const word = words.find((w) => !/^[0-9a-f]+$/i.test(w));
  if (word !== undefined) throw new CliError(`"${inert(word)}" is neither a todo id nor an id prefix (hex digits); for the todos it matches: ${inert(instead(word))}`, "input");
}

/**
 * Runs `act` for every target, CONCURRENCY at a time; `done` reports each success in the targets'
 * order as soon as the ones before it are reported. A failure is one line on stderr; the others go on.
 * With a single target its failure is the command's error, as it always was.
 */
export async function forEach<T>(targets: Target[], act: (target: Target) => Promise<T>, done: (result: T, target: Target) => void): Promise<void> {
  if (targets.length === 1) return done(await act(targets[0]!), targets[0]!);
  const outcomes: ({ ok: true; value: T } | { ok: false; error: unknown } | undefined)[] = new Array(targets.length);
  let reported = 0;
  const report = () => {
    for (; reported < targets.length && outcomes[reported]; reported++) {
      const outcome = outcomes[reported]!;
      if (outcome.ok) done(outcome.value, targets[reported]!);
      else writeStderr(`todo: ${inert(`${targets[reported]!.id}: ${(outcome.error as Error).message}`)}`);
    }
  };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < targets.length; i = next++) {
      try {
        outcomes[i] = { ok: true, value: await act(targets[i]!) };
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        outcomes[i] = { ok: false, error };
      }
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, targets.length) }, worker));
  const failures = outcomes.filter((o) => o && !o.ok) as { ok: false; error: CliError }[];
  if (failures.length) {
    // Exit 2 only when every failure was the input's mistake.
    const kind = failures.every((f) => f.error.kind === "input") ? "input" : "failed";
    throw new CliError(`${failures.length} of ${count(targets.length, "todo")} failed (each is named above)`, kind);
  }
}

/** Todos a filter or modify changes at once without asking (issue 21: more than 2 ask, as Taskwarrior's bulk setting). */
export const UNASKED = 2;

/** `3 todos (1 "buy milk", 2 "buy eggs", 4 "bread")`: how many, and the first three by number (else id) and title. */
export function firstOf(todos: Todo__Output[], total: number): string {
  const shown = todos.slice(0, 3).map((t) => `${t.number && t.number !== "0" ? t.number : t.id} "${fit(inert(t.title), 30)}"`);
  return `${count(total, "todo")} (${shown.join(", ")}${total > 3 ? `, and ${total - 3} more` : ""})`;
}

/**
 * Asks on the terminal before a change to many todos ("delete 12 todos"), unless --yes. Without a
 * terminal to ask on the answer is no: a script must say --yes.
 */
export async function confirm(change: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) throw new CliError(`would ${change}, but stdin is not a terminal to ask on: add --yes`, "input");
  // Loaded only to ask: node:readline is a cost every read and done would otherwise pay at start.
  const { createInterface } = await import("node:readline");
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await new Promise<string | undefined>((resolve) => {
    prompt.question(`${change[0]!.toUpperCase()}${change.slice(1)}? [y/N] `, resolve);
    // Ctrl-C or Ctrl-D: no answer, and the cursor still on the prompt's line.
    prompt.once("SIGINT", () => resolve(undefined));
    prompt.once("close", () => resolve(undefined));
  });
  prompt.close();
  if (answer === undefined) {
    writeStderr("");
    throw new CliError("nothing changed (no answer)");
  }
  if (!/^y(es)?$/i.test(answer.trim())) throw new CliError("nothing changed (answered no)");
}
