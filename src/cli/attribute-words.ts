// The attribute words of todo modify and todo add, as Taskwarrior's: +tag and -tag add and remove one
// tag, due:TIME sets the reminder (due: clears it), state:STATE the state; other words are the title's.
import type { TodoChanges } from "./client";
import { parseState } from "./input";
import { parseTime } from "./time-input";

/** The verbs people use for a state (todo start, todo done; Taskwarrior's pending), beside its names. */
const STATE_WORDS: Record<string, string> = { started: "IN_PROGRESS", start: "IN_PROGRESS", pending: "NOT_STARTED", todo: "NOT_STARTED" };

export interface AttributeWords {
  addTags: string[];
  removeTags: string[];
  changes: TodoChanges;
}

/** The attribute words (+tag, -tag, due:, state:) of `words`, and the rest, the title's; words from `literalFrom` on are the title's. */
export function attributeWords(words: string[], literalFrom = words.length): AttributeWords & { titleWords: string[] } {
  const result: AttributeWords & { titleWords: string[] } = { addTags: [], removeTags: [], changes: {}, titleWords: [] };
  words.forEach((word, i) => {
    if (i >= literalFrom) return result.titleWords.push(word);
    if (/^\+[^\s+]/.test(word)) return result.addTags.push(word.slice(1));
    if (/^-[^\s-]/.test(word)) return result.removeTags.push(word.slice(1));
    const attribute = /^(due|state):(.*)$/.exec(word);
    if (!attribute) return result.titleWords.push(word);
    const [, name, value] = attribute as unknown as [string, string, string];
    if (name === "due") result.changes.reminder = value === "" ? null : parseTime("due:", value);
    else result.changes.state = parseState("state:", STATE_WORDS[value.toLowerCase()] ?? value);
  });
  return result;
}
