// Original file: todo/v1/events.proto

import type { FieldMask as _google_protobuf_FieldMask, FieldMask__Output as _google_protobuf_FieldMask__Output } from '../../google/protobuf/FieldMask';
import type { Todo as _todo_v1_Todo, Todo__Output as _todo_v1_Todo__Output } from '../../todo/v1/Todo';

export interface TodoUpdated {
  'update_mask'?: (_google_protobuf_FieldMask | null);
  'todo'?: (_todo_v1_Todo | null);
}

export interface TodoUpdated__Output {
  'update_mask': (_google_protobuf_FieldMask__Output | null);
  'todo': (_todo_v1_Todo__Output | null);
}
