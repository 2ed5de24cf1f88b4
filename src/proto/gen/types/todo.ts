import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { TodoServiceClient as _todo_v1_TodoServiceClient, TodoServiceDefinition as _todo_v1_TodoServiceDefinition } from './todo/v1/TodoService';
import type { ToDoServiceClient as _v1_ToDoServiceClient, ToDoServiceDefinition as _v1_ToDoServiceDefinition } from './v1/ToDoService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    api: {
      CustomHttpPattern: MessageTypeDefinition
      Http: MessageTypeDefinition
      HttpRule: MessageTypeDefinition
    }
    protobuf: {
      DescriptorProto: MessageTypeDefinition
      Edition: EnumTypeDefinition
      Empty: MessageTypeDefinition
      EnumDescriptorProto: MessageTypeDefinition
      EnumOptions: MessageTypeDefinition
      EnumValueDescriptorProto: MessageTypeDefinition
      EnumValueOptions: MessageTypeDefinition
      ExtensionRangeOptions: MessageTypeDefinition
      FeatureSet: MessageTypeDefinition
      FeatureSetDefaults: MessageTypeDefinition
      FieldDescriptorProto: MessageTypeDefinition
      FieldMask: MessageTypeDefinition
      FieldOptions: MessageTypeDefinition
      FileDescriptorProto: MessageTypeDefinition
      FileDescriptorSet: MessageTypeDefinition
      FileOptions: MessageTypeDefinition
      GeneratedCodeInfo: MessageTypeDefinition
      MessageOptions: MessageTypeDefinition
      MethodDescriptorProto: MessageTypeDefinition
      MethodOptions: MessageTypeDefinition
      OneofDescriptorProto: MessageTypeDefinition
      OneofOptions: MessageTypeDefinition
      ServiceDescriptorProto: MessageTypeDefinition
      ServiceOptions: MessageTypeDefinition
      SourceCodeInfo: MessageTypeDefinition
      SymbolVisibility: EnumTypeDefinition
      Timestamp: MessageTypeDefinition
      UninterpretedOption: MessageTypeDefinition
    }
  }
  todo: {
    v1: {
      CreateTodoRequest: MessageTypeDefinition
      DeleteTodoRequest: MessageTypeDefinition
      GetTodoRequest: MessageTypeDefinition
      ReminderDue: MessageTypeDefinition
      SearchTodosRequest: MessageTypeDefinition
      SearchTodosResponse: MessageTypeDefinition
      Todo: MessageTypeDefinition
      TodoCreated: MessageTypeDefinition
      TodoDeleted: MessageTypeDefinition
      TodoEvent: MessageTypeDefinition
      TodoService: SubtypeConstructor<typeof grpc.Client, _todo_v1_TodoServiceClient> & { service: _todo_v1_TodoServiceDefinition }
      TodoUpdated: MessageTypeDefinition
      UpdateTodoRequest: MessageTypeDefinition
      WatchTodosRequest: MessageTypeDefinition
      WatchTodosResponse: MessageTypeDefinition
    }
  }
  v1: {
    CreateRequest: MessageTypeDefinition
    CreateResponse: MessageTypeDefinition
    DeleteRequest: MessageTypeDefinition
    DeleteResponse: MessageTypeDefinition
    ReadRequest: MessageTypeDefinition
    ReadResponse: MessageTypeDefinition
    SearchRequest: MessageTypeDefinition
    SearchResponse: MessageTypeDefinition
    ToDo: MessageTypeDefinition
    ToDoService: SubtypeConstructor<typeof grpc.Client, _v1_ToDoServiceClient> & { service: _v1_ToDoServiceDefinition }
    UpdateRequest: MessageTypeDefinition
    UpdateResponse: MessageTypeDefinition
  }
}

