// Parses what a person types into request values; mistakes are CliErrors naming the flag.
import { SHORT_STATES, type State, stateFromSpelling } from "../vocabulary/todo";
import { CliError } from "./errors";

export function parseState(flag: string, text: string): State {
  const state = stateFromSpelling(text, "typed");
  if (!state) throw new CliError(`${flag}: "${text}" is not one of ${SHORT_STATES.join(", ")}`, "input");
  return state;
}

export function parseList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
