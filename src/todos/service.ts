// todo.v1.TodoService: each call validated, run against the store, and mapped back to the wire.
import type { Empty } from "../proto/gen/types/google/protobuf/Empty";
import type { CreateTodoRequest__Output } from "../proto/gen/types/todo/v1/CreateTodoRequest";
import type { DeleteTodoRequest__Output } from "../proto/gen/types/todo/v1/DeleteTodoRequest";
import type { GetTodoRequest__Output } from "../proto/gen/types/todo/v1/GetTodoRequest";
import type { SearchTodosRequest__Output } from "../proto/gen/types/todo/v1/SearchTodosRequest";
import type { SearchTodosResponse } from "../proto/gen/types/todo/v1/SearchTodosResponse";
import type { Todo } from "../proto/gen/types/todo/v1/Todo";
import type { UpdateTodoRequest__Output } from "../proto/gen/types/todo/v1/UpdateTodoRequest";
import { NotFoundError, type TodoStore } from "../store/store";
import { sortKey } from "./sort";
import { toProtoTodo } from "./mapping";
import { encodePageToken, parseEtag, parseId, parseNewTodo, parseSearch, parseUpdate } from "./validate";

export function todoService(store: TodoStore) {
  return {
    async CreateTodo(request: CreateTodoRequest__Output): Promise<Todo> {
      const id = request.todo_id ? parseId("todo_id", request.todo_id) : undefined;
      const { todo } = await store.create(parseNewTodo(request.todo), id);
      return toProtoTodo(todo);
    },

    async GetTodo(request: GetTodoRequest__Output): Promise<Todo> {
      const id = parseId("id", request.id);
      const todo = await store.get(id);
      if (!todo) throw new NotFoundError(id);
      return toProtoTodo(todo);
    },

    async UpdateTodo(request: UpdateTodoRequest__Output): Promise<Todo> {
      const { id, fields, expectedVersion } = parseUpdate(request);
      const { todo } = await store.update(id, fields, expectedVersion);
      return toProtoTodo(todo);
    },

    async DeleteTodo(request: DeleteTodoRequest__Output): Promise<Empty> {
      const id = parseId("id", request.id);
      await store.delete(id, parseEtag("etag", request.etag));
      return {};
    },

    async SearchTodos(request: SearchTodosRequest__Output): Promise<SearchTodosResponse> {
      const query = parseSearch(request);
      const page = await store.search(query);
      const last = page.todos.at(-1);
      return {
        todos: page.todos.map(toProtoTodo),
        next_page_token: page.more && last ? encodePageToken(query, { key: sortKey(last, query.order), id: last.id }) : "",
      };
    },
  };
}
