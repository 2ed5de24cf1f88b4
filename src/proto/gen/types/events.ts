import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';


type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      FieldMask: MessageTypeDefinition
      Timestamp: MessageTypeDefinition
    }
  }
  todo: {
    v1: {
      ReminderDue: MessageTypeDefinition
      Todo: MessageTypeDefinition
      TodoCreated: MessageTypeDefinition
      TodoDeleted: MessageTypeDefinition
      TodoEvent: MessageTypeDefinition
      TodoUpdated: MessageTypeDefinition
    }
  }
}

