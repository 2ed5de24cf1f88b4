// Original file: todo/v1/server_info.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetServerInfoRequest as _todo_v1_GetServerInfoRequest, GetServerInfoRequest__Output as _todo_v1_GetServerInfoRequest__Output } from '../../todo/v1/GetServerInfoRequest';
import type { ServerInfo as _todo_v1_ServerInfo, ServerInfo__Output as _todo_v1_ServerInfo__Output } from '../../todo/v1/ServerInfo';

export interface ServerInfoServiceClient extends grpc.Client {
  GetServerInfo(argument: _todo_v1_GetServerInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_ServerInfo__Output>): grpc.ClientUnaryCall;
  GetServerInfo(argument: _todo_v1_GetServerInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_todo_v1_ServerInfo__Output>): grpc.ClientUnaryCall;
  GetServerInfo(argument: _todo_v1_GetServerInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_ServerInfo__Output>): grpc.ClientUnaryCall;
  GetServerInfo(argument: _todo_v1_GetServerInfoRequest, callback: grpc.requestCallback<_todo_v1_ServerInfo__Output>): grpc.ClientUnaryCall;
  getServerInfo(argument: _todo_v1_GetServerInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_ServerInfo__Output>): grpc.ClientUnaryCall;
  getServerInfo(argument: _todo_v1_GetServerInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_todo_v1_ServerInfo__Output>): grpc.ClientUnaryCall;
  getServerInfo(argument: _todo_v1_GetServerInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_todo_v1_ServerInfo__Output>): grpc.ClientUnaryCall;
  getServerInfo(argument: _todo_v1_GetServerInfoRequest, callback: grpc.requestCallback<_todo_v1_ServerInfo__Output>): grpc.ClientUnaryCall;
  
}

export interface ServerInfoServiceHandlers extends grpc.UntypedServiceImplementation {
  GetServerInfo: grpc.handleUnaryCall<_todo_v1_GetServerInfoRequest__Output, _todo_v1_ServerInfo>;
  
}

export interface ServerInfoServiceDefinition extends grpc.ServiceDefinition {
  GetServerInfo: MethodDefinition<_todo_v1_GetServerInfoRequest, _todo_v1_ServerInfo, _todo_v1_GetServerInfoRequest__Output, _todo_v1_ServerInfo__Output>
}
