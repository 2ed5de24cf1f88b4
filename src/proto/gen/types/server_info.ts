import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ServerInfoServiceClient as _todo_v1_ServerInfoServiceClient, ServerInfoServiceDefinition as _todo_v1_ServerInfoServiceDefinition } from './todo/v1/ServerInfoService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  todo: {
    v1: {
      GetServerInfoRequest: MessageTypeDefinition
      ServerInfo: MessageTypeDefinition
      ServerInfoService: SubtypeConstructor<typeof grpc.Client, _todo_v1_ServerInfoServiceClient> & { service: _todo_v1_ServerInfoServiceDefinition }
    }
  }
}

