// Original file: todo/v1/todo.proto

import type { Todo as _todo_v1_Todo, Todo__Output as _todo_v1_Todo__Output } from '../../todo/v1/Todo';
import type { FieldMask as _google_protobuf_FieldMask, FieldMask__Output as _google_protobuf_FieldMask__Output } from '../../google/protobuf/FieldMask';

export interface UpdateTodoRequest {
  'todo'?: (_todo_v1_Todo | null);
  'update_mask'?: (_google_protobuf_FieldMask | null);
}

export interface UpdateTodoRequest__Output {
  'todo': (_todo_v1_Todo__Output | null);
  'update_mask': (_google_protobuf_FieldMask__Output | null);
}
