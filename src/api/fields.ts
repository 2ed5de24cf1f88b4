// The domain names the fields it refuses (title, id, …); a request names them its own way
// (todo.title, toDo.id, todo_id). Each adapter method says how, and errors carry the request's name.
import { InvalidArgumentError } from "../todos/errors";

export type FieldNames = Readonly<Record<string, string>>;

/** Runs a use case, renaming the field of an InvalidArgumentError to the request's name for it. */
export async function asRequestFields<T>(names: FieldNames, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof InvalidArgumentError && names[e.field]) throw new InvalidArgumentError(names[e.field]!, e.reason, { cause: e });
    throw e;
  }
}

/** `prefix.field` for each of the todo's fields, plus any others given. */
export function todoFields(prefix: string, others: Record<string, string> = {}): FieldNames {
  return Object.fromEntries([...["title", "description", "tags", "reminder", "state"].map((f) => [f, `${prefix}.${f}`]), ...Object.entries(others)]);
}
