// Parses what a person types into request values; mistakes are CliErrors naming the flag.
import type { _todo_v1_Todo_State } from "../proto/gen/types/todo/v1/Todo";
import { CliError } from "./errors";

const STATE_NAMES = ["NOT_STARTED", "IN_PROGRESS", "DONE"] as const;

export function parseState(flag: string, text: string): _todo_v1_Todo_State {
  const name = text.trim().toUpperCase().replace(/^STATE_/, "").replace(/[- ]/g, "_");
  if (!(STATE_NAMES as readonly string[]).includes(name)) throw new CliError(`${flag}: "${text}" is not one of ${STATE_NAMES.join(", ")}`, "input");
  return `STATE_${name}` as _todo_v1_Todo_State;
}

export function parseList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
