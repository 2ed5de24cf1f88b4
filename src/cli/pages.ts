// A search's pages, one after another, as a command reads them: the next page is asked for as soon as
// the one before arrives, so the daemon finds it while the client prints this one (a page of 1,000
// todos is a few milliseconds of work on each side: in turn, each would wait for the other). Pages are
// the API's largest: the fewest round trips.
import type { SearchTodosRequest } from "../proto/gen/types/todo/v1/SearchTodosRequest";
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { TodoClient } from "./client";
import { CliError } from "./errors";
import { LIMITS } from "../vocabulary/todo";

/**
 * The pages of a search, in order, at most `limit` todos in all. The call for the next page is already
 * on its way when a page is handed over; a consumer that stops early (returns from the loop) leaves it
 * to end on its own, and one that holds a page past the next call's deadline has that page asked again.
 */
export async function* searchPages(
  client: TodoClient,
  request: Omit<SearchTodosRequest, "page_size" | "page_token">,
  limit = Infinity,
): AsyncGenerator<Todo__Output[]> {
  let remaining = limit;
  const ask = (page_token: string) => {
    const deadline = client.deadline();
    const call = client.call("SearchTodos", { ...request, page_size: Math.min(LIMITS.pageSize, remaining), page_token }, deadline);
    // Awaited below unless the consumer stops first: then its failure concerns nobody.
    call.catch(() => {});
    return { call, deadline, page_token };
  };
  let next = ask("");
  /** When the consumer last handed control back: a reader that held it (`todo ls | less`) may have held it past a call's deadline. */
  let resumed = 0;
  for (;;) {
    let page: Awaited<typeof next.call>;
    try {
      page = await next.call;
    } catch (error) {
      // The call's deadline passed while the consumer held the command (a full pipe blocks the write),
      // not while the daemon worked: its answer may be here unread. Ask again, with a deadline of its own.
      if (!(error instanceof CliError && error.kind === "deadline" && resumed >= next.deadline)) throw error;
      page = await ask(next.page_token).call;
    }
    const todos = page.todos.length > remaining ? page.todos.slice(0, remaining) : page.todos;
    remaining -= todos.length;
    const more = page.next_page_token !== "" && remaining > 0;
    if (more) next = ask(page.next_page_token);
    if (todos.length) yield todos;
    resumed = Date.now();
    if (!more) return;
  }
}
