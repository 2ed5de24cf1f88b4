// Original file: v1/todo.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateRequest as _v1_CreateRequest, CreateRequest__Output as _v1_CreateRequest__Output } from '../v1/CreateRequest';
import type { CreateResponse as _v1_CreateResponse, CreateResponse__Output as _v1_CreateResponse__Output } from '../v1/CreateResponse';
import type { DeleteRequest as _v1_DeleteRequest, DeleteRequest__Output as _v1_DeleteRequest__Output } from '../v1/DeleteRequest';
import type { DeleteResponse as _v1_DeleteResponse, DeleteResponse__Output as _v1_DeleteResponse__Output } from '../v1/DeleteResponse';
import type { ReadRequest as _v1_ReadRequest, ReadRequest__Output as _v1_ReadRequest__Output } from '../v1/ReadRequest';
import type { ReadResponse as _v1_ReadResponse, ReadResponse__Output as _v1_ReadResponse__Output } from '../v1/ReadResponse';
import type { SearchRequest as _v1_SearchRequest, SearchRequest__Output as _v1_SearchRequest__Output } from '../v1/SearchRequest';
import type { SearchResponse as _v1_SearchResponse, SearchResponse__Output as _v1_SearchResponse__Output } from '../v1/SearchResponse';
import type { UpdateRequest as _v1_UpdateRequest, UpdateRequest__Output as _v1_UpdateRequest__Output } from '../v1/UpdateRequest';
import type { UpdateResponse as _v1_UpdateResponse, UpdateResponse__Output as _v1_UpdateResponse__Output } from '../v1/UpdateResponse';

export interface ToDoServiceClient extends grpc.Client {
  Create(argument: _v1_CreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _v1_CreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _v1_CreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _v1_CreateRequest, callback: grpc.requestCallback<_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _v1_CreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _v1_CreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _v1_CreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _v1_CreateRequest, callback: grpc.requestCallback<_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _v1_DeleteRequest, callback: grpc.requestCallback<_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _v1_DeleteRequest, callback: grpc.requestCallback<_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  
  Read(argument: _v1_ReadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  Read(argument: _v1_ReadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  Read(argument: _v1_ReadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  Read(argument: _v1_ReadRequest, callback: grpc.requestCallback<_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _v1_ReadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _v1_ReadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _v1_ReadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _v1_ReadRequest, callback: grpc.requestCallback<_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  
  Search(argument: _v1_SearchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
  Search(argument: _v1_SearchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
  Search(argument: _v1_SearchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
  Search(argument: _v1_SearchRequest, callback: grpc.requestCallback<_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
  search(argument: _v1_SearchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
  search(argument: _v1_SearchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
  search(argument: _v1_SearchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
  search(argument: _v1_SearchRequest, callback: grpc.requestCallback<_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
  
  Update(argument: _v1_UpdateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_UpdateResponse__Output>): grpc.ClientUnaryCall;
  Update(argument: _v1_UpdateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_v1_UpdateResponse__Output>): grpc.ClientUnaryCall;
  Update(argument: _v1_UpdateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_UpdateResponse__Output>): grpc.ClientUnaryCall;
  Update(argument: _v1_UpdateRequest, callback: grpc.requestCallback<_v1_UpdateResponse__Output>): grpc.ClientUnaryCall;
  update(argument: _v1_UpdateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_UpdateResponse__Output>): grpc.ClientUnaryCall;
  update(argument: _v1_UpdateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_v1_UpdateResponse__Output>): grpc.ClientUnaryCall;
  update(argument: _v1_UpdateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_v1_UpdateResponse__Output>): grpc.ClientUnaryCall;
  update(argument: _v1_UpdateRequest, callback: grpc.requestCallback<_v1_UpdateResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ToDoServiceHandlers extends grpc.UntypedServiceImplementation {
  Create: grpc.handleUnaryCall<_v1_CreateRequest__Output, _v1_CreateResponse>;
  
  Delete: grpc.handleUnaryCall<_v1_DeleteRequest__Output, _v1_DeleteResponse>;
  
  Read: grpc.handleUnaryCall<_v1_ReadRequest__Output, _v1_ReadResponse>;
  
  Search: grpc.handleUnaryCall<_v1_SearchRequest__Output, _v1_SearchResponse>;
  
  Update: grpc.handleUnaryCall<_v1_UpdateRequest__Output, _v1_UpdateResponse>;
  
}

export interface ToDoServiceDefinition extends grpc.ServiceDefinition {
  Create: MethodDefinition<_v1_CreateRequest, _v1_CreateResponse, _v1_CreateRequest__Output, _v1_CreateResponse__Output>
  Delete: MethodDefinition<_v1_DeleteRequest, _v1_DeleteResponse, _v1_DeleteRequest__Output, _v1_DeleteResponse__Output>
  Read: MethodDefinition<_v1_ReadRequest, _v1_ReadResponse, _v1_ReadRequest__Output, _v1_ReadResponse__Output>
  Search: MethodDefinition<_v1_SearchRequest, _v1_SearchResponse, _v1_SearchRequest__Output, _v1_SearchResponse__Output>
  Update: MethodDefinition<_v1_UpdateRequest, _v1_UpdateResponse, _v1_UpdateRequest__Output, _v1_UpdateResponse__Output>
}
