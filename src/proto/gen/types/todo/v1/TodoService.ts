// Original file: todo/v1/todo.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateTodoRequest as _todo_v1_CreateTodoRequest, CreateTodoRequest__Output as _todo_v1_CreateTodoRequest__Output } from '../../todo/v1/CreateTodoRequest';
import type { DeleteTodoRequest as _todo_v1_DeleteTodoRequest, DeleteTodoRequest__Output as _todo_v1_DeleteTodoRequest__Output } from '../../todo/v1/DeleteTodoRequest';
import type { Empty as _google_protobuf_Empty, Empty__Output as _google_protobuf_Empty__Output } from '../../google/protobuf/Empty';
import type { GetTodoRequest as _todo_v1_GetTodoRequest, GetTodoRequest__Output as _todo_v1_GetTodoRequest__Output } from '../../todo/v1/GetTodoRequest';
import type { SearchTodosRequest as _todo_v1_SearchTodosRequest, SearchTodosRequest__Output as _todo_v1_SearchTodosRequest__Output } from '../../todo/v1/SearchTodosRequest';
import type { SearchTodosResponse as _todo_v1_SearchTodosResponse, SearchTodosResponse__Output as _todo_v1_SearchTodosResponse__Output } from '../../todo/v1/SearchTodosResponse';
import type { Todo as _todo_v1_Todo, Todo__Output as _todo_v1_Todo__Output } from '../../todo/v1/Todo';
import type { UpdateTodoRequest as _todo_v1_UpdateTodoRequest, UpdateTodoRequest__Output as _todo_v1_UpdateTodoRequest__Output } from '../../todo/v1/UpdateTodoRequest';
import type { WatchTodosRequest as _todo_v1_WatchTodosRequest, WatchTodosRequest__Output as _todo_v1_WatchTodosRequest__Output } from '../../todo/v1/WatchTodosRequest';
import type { WatchTodosResponse as _todo_v1_WatchTodosResponse, WatchTodosResponse__Output as _todo_v1_WatchTodosResponse__Output } from '../../todo/v1/WatchTodosResponse';

export interface TodoServiceClient extends grpc.Client {
  CreateTodo(argument: _todo_v1_CreateTodoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  CreateTodo(argument: _todo_v1_CreateTodoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  CreateTodo(argument: _todo_v1_CreateTodoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  CreateTodo(argument: _todo_v1_CreateTodoRequest, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  createTodo(argument: _todo_v1_CreateTodoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  createTodo(argument: _todo_v1_CreateTodoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  createTodo(argument: _todo_v1_CreateTodoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  createTodo(argument: _todo_v1_CreateTodoRequest, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  
  DeleteTodo(argument: _todo_v1_DeleteTodoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  DeleteTodo(argument: _todo_v1_DeleteTodoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  DeleteTodo(argument: _todo_v1_DeleteTodoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  DeleteTodo(argument: _todo_v1_DeleteTodoRequest, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  deleteTodo(argument: _todo_v1_DeleteTodoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  deleteTodo(argument: _todo_v1_DeleteTodoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  deleteTodo(argument: _todo_v1_DeleteTodoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  deleteTodo(argument: _todo_v1_DeleteTodoRequest, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  
  GetTodo(argument: _todo_v1_GetTodoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  GetTodo(argument: _todo_v1_GetTodoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  GetTodo(argument: _todo_v1_GetTodoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  GetTodo(argument: _todo_v1_GetTodoRequest, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  getTodo(argument: _todo_v1_GetTodoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  getTodo(argument: _todo_v1_GetTodoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  getTodo(argument: _todo_v1_GetTodoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  getTodo(argument: _todo_v1_GetTodoRequest, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  
  SearchTodos(argument: _todo_v1_SearchTodosRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_SearchTodosResponse__Output>): grpc.ClientUnaryCall;
  SearchTodos(argument: _todo_v1_SearchTodosRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_todo_v1_SearchTodosResponse__Output>): grpc.ClientUnaryCall;
  SearchTodos(argument: _todo_v1_SearchTodosRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_SearchTodosResponse__Output>): grpc.ClientUnaryCall;
  SearchTodos(argument: _todo_v1_SearchTodosRequest, callback: grpc.requestCallback<_todo_v1_SearchTodosResponse__Output>): grpc.ClientUnaryCall;
  searchTodos(argument: _todo_v1_SearchTodosRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_SearchTodosResponse__Output>): grpc.ClientUnaryCall;
  searchTodos(argument: _todo_v1_SearchTodosRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_todo_v1_SearchTodosResponse__Output>): grpc.ClientUnaryCall;
  searchTodos(argument: _todo_v1_SearchTodosRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_SearchTodosResponse__Output>): grpc.ClientUnaryCall;
  searchTodos(argument: _todo_v1_SearchTodosRequest, callback: grpc.requestCallback<_todo_v1_SearchTodosResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateTodo(argument: _todo_v1_UpdateTodoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  UpdateTodo(argument: _todo_v1_UpdateTodoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  UpdateTodo(argument: _todo_v1_UpdateTodoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  UpdateTodo(argument: _todo_v1_UpdateTodoRequest, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  updateTodo(argument: _todo_v1_UpdateTodoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  updateTodo(argument: _todo_v1_UpdateTodoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  updateTodo(argument: _todo_v1_UpdateTodoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  updateTodo(argument: _todo_v1_UpdateTodoRequest, callback: grpc.requestCallback<_todo_v1_Todo__Output>): grpc.ClientUnaryCall;
  
  WatchTodos(argument: _todo_v1_WatchTodosRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_todo_v1_WatchTodosResponse__Output>;
  WatchTodos(argument: _todo_v1_WatchTodosRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_todo_v1_WatchTodosResponse__Output>;
  watchTodos(argument: _todo_v1_WatchTodosRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_todo_v1_WatchTodosResponse__Output>;
  watchTodos(argument: _todo_v1_WatchTodosRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_todo_v1_WatchTodosResponse__Output>;
  
}

export interface TodoServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateTodo: grpc.handleUnaryCall<_todo_v1_CreateTodoRequest__Output, _todo_v1_Todo>;
  
  DeleteTodo: grpc.handleUnaryCall<_todo_v1_DeleteTodoRequest__Output, _google_protobuf_Empty>;
  
  GetTodo: grpc.handleUnaryCall<_todo_v1_GetTodoRequest__Output, _todo_v1_Todo>;
  
  SearchTodos: grpc.handleUnaryCall<_todo_v1_SearchTodosRequest__Output, _todo_v1_SearchTodosResponse>;
  
  UpdateTodo: grpc.handleUnaryCall<_todo_v1_UpdateTodoRequest__Output, _todo_v1_Todo>;
  
  WatchTodos: grpc.handleServerStreamingCall<_todo_v1_WatchTodosRequest__Output, _todo_v1_WatchTodosResponse>;
  
}

export interface TodoServiceDefinition extends grpc.ServiceDefinition {
  CreateTodo: MethodDefinition<_todo_v1_CreateTodoRequest, _todo_v1_Todo, _todo_v1_CreateTodoRequest__Output, _todo_v1_Todo__Output>
  DeleteTodo: MethodDefinition<_todo_v1_DeleteTodoRequest, _google_protobuf_Empty, _todo_v1_DeleteTodoRequest__Output, _google_protobuf_Empty__Output>
  GetTodo: MethodDefinition<_todo_v1_GetTodoRequest, _todo_v1_Todo, _todo_v1_GetTodoRequest__Output, _todo_v1_Todo__Output>
  SearchTodos: MethodDefinition<_todo_v1_SearchTodosRequest, _todo_v1_SearchTodosResponse, _todo_v1_SearchTodosRequest__Output, _todo_v1_SearchTodosResponse__Output>
  UpdateTodo: MethodDefinition<_todo_v1_UpdateTodoRequest, _todo_v1_Todo, _todo_v1_UpdateTodoRequest__Output, _todo_v1_Todo__Output>
  WatchTodos: MethodDefinition<_todo_v1_WatchTodosRequest, _todo_v1_WatchTodosResponse, _todo_v1_WatchTodosRequest__Output, _todo_v1_WatchTodosResponse__Output>
}
