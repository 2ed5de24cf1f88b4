// CreateTodo as the commands send it: with a client-chosen id, retried within --timeout when the daemon
// or its store cannot answer, so a create whose answer was lost is neither lost nor doubled (retry.ts).
import type { Todo, Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { TodoClient } from "./client";
import { CliError } from "./errors";
import { Status } from "./grpc-status";
import { type CreatedFields, createOnce } from "./retry";
import { uniqueTags } from "../vocabulary/todo";

const seconds = (timestamp: Todo["reminder"]): number | null => (timestamp ? Number(timestamp.seconds ?? 0) : null);

/** As the daemon stores them: tags once each, no state meaning the default. */
const fieldsOf = (todo: Pick<Todo, "title" | "description" | "tags" | "state" | "reminder">): CreatedFields => ({
  title: todo.title ?? "",
  description: todo.description ?? "",
  tags: uniqueTags(todo.tags ?? []),
  state: !todo.state || todo.state === "STATE_UNSPECIFIED" ? "STATE_NOT_STARTED" : String(todo.state),
  reminderSeconds: seconds(todo.reminder),
});

/**
 * No connection was ever made (refused, no such host): nothing was sent. A reset or a dropped connection
 * may have carried the create, so those are retried.
 */
const neverConnected = (error: unknown) => error instanceof CliError && error.kind === "not-connected";

const codeOf = (error: unknown) => (error instanceof CliError ? error.code : undefined);

/**
 * Creates `todo` under `id` (its own id for an import line that has one; else a new one) and returns it.
 * A create that still has no answer at the deadline names the id, so the person can look it up.
 */
export async function createTodo(client: TodoClient, todo: Todo, id?: string): Promise<Todo__Output> {
  const deadline = client.deadline();
  let chosen = id;
  try {
    return await createOnce<Todo__Output>(
      {
        create: (todoId, callDeadline) => {
          chosen = todoId;
          return client.call("CreateTodo", { todo, todo_id: todoId }, callDeadline);
        },
        get: (todoId, callDeadline) => client.get(todoId, callDeadline),
        fieldsOf,
        sent: fieldsOf(todo),
      },
      { id, deadline, codeOf, neverConnected },
    );
  } catch (e) {
    const code = codeOf(e);
    if (e instanceof CliError && (code === Status.DEADLINE_EXCEEDED || code === Status.UNKNOWN))
      throw new CliError(`${e.message}; todo ${chosen} may have been created: \`todo read ${chosen}\` tells, and \`todo add\` again would make a second one`, e.kind, code);
    throw e;
  }
}
