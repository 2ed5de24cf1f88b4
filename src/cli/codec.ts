// The client's messages, encoded and decoded by the static codecs `bun run gen` writes (protobufjs
// minimal runtime, no reflection): loading grpc-js and proto-loader cost a one-shot command more than
// its call (docs/performance.md). Objects have the shapes of proto-loader's (src/proto/loader.ts
// LOADER_OPTIONS), which the daemon and the generated types use: keepCase, longs and enums as
// strings, defaults filled in, oneofs named.
import type { Empty__Output } from "../proto/gen/types/google/protobuf/Empty";
import type { CreateTodoRequest } from "../proto/gen/types/todo/v1/CreateTodoRequest";
import type { DeleteTodoRequest } from "../proto/gen/types/todo/v1/DeleteTodoRequest";
import type { GetServerInfoRequest } from "../proto/gen/types/todo/v1/GetServerInfoRequest";
import type { GetTodoRequest } from "../proto/gen/types/todo/v1/GetTodoRequest";
import type { SearchTodosRequest } from "../proto/gen/types/todo/v1/SearchTodosRequest";
import type { SearchTodosResponse__Output } from "../proto/gen/types/todo/v1/SearchTodosResponse";
import type { ServerInfo__Output } from "../proto/gen/types/todo/v1/ServerInfo";
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { UpdateTodoRequest } from "../proto/gen/types/todo/v1/UpdateTodoRequest";
import type { WatchTodosRequest } from "../proto/gen/types/todo/v1/WatchTodosRequest";
import type { WatchTodosResponse__Output } from "../proto/gen/types/todo/v1/WatchTodosResponse";
import { google, todo } from "../proto/gen/static.js";
import { decodeSearchPage } from "../wire/todo-bytes";

const TO_OBJECT = { longs: String, enums: String, defaults: true, oneofs: true };

interface StaticType {
  fromObject(object: unknown): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: typeof TO_OBJECT): unknown;
}

/** One RPC: its HTTP/2 path, and how its request is encoded and its response decoded. */
export interface Method<Req, Res> {
  path: string;
  encode(request: Req): Uint8Array;
  decode(bytes: Uint8Array): Res;
}

function method<Req, Res>(path: string, request: StaticType, response: StaticType): Method<Req, Res> {
  return {
    path,
    encode: (r) => request.encode(request.fromObject(r)).finish(),
    decode: (bytes) => response.toObject(response.decode(bytes), TO_OBJECT) as Res,
  };
}

const v1 = todo.v1;

export const METHODS = {
  CreateTodo: method<CreateTodoRequest, Todo__Output>("/todo.v1.TodoService/CreateTodo", v1.CreateTodoRequest, v1.Todo),
  GetTodo: method<GetTodoRequest, Todo__Output>("/todo.v1.TodoService/GetTodo", v1.GetTodoRequest, v1.Todo),
  UpdateTodo: method<UpdateTodoRequest, Todo__Output>("/todo.v1.TodoService/UpdateTodo", v1.UpdateTodoRequest, v1.Todo),
  DeleteTodo: method<DeleteTodoRequest, Empty__Output>("/todo.v1.TodoService/DeleteTodo", v1.DeleteTodoRequest, google.protobuf.Empty),
  // Pages of a thousand todos: read by hand, in a fraction of protobufjs's time (src/wire/todo-bytes.ts).
  SearchTodos: {
    ...method<SearchTodosRequest, SearchTodosResponse__Output>("/todo.v1.TodoService/SearchTodos", v1.SearchTodosRequest, v1.SearchTodosResponse),
    decode: decodeSearchPage,
  },
};

export const WATCH_TODOS = method<WatchTodosRequest, WatchTodosResponse__Output>("/todo.v1.TodoService/WatchTodos", v1.WatchTodosRequest, v1.WatchTodosResponse);
export const GET_SERVER_INFO = method<GetServerInfoRequest, ServerInfo__Output>("/todo.v1.ServerInfoService/GetServerInfo", v1.GetServerInfoRequest, v1.ServerInfo);
