// Original file: todo/v1/todo.proto

import type { _todo_v1_Todo_State, _todo_v1_Todo_State__Output } from '../../todo/v1/Todo';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface SearchTodosRequest {
  'pattern'?: (string);
  'tags'?: (string)[];
  'states'?: (_todo_v1_Todo_State)[];
  'reminder_after'?: (_google_protobuf_Timestamp | null);
  'reminder_before'?: (_google_protobuf_Timestamp | null);
  'page_size'?: (number);
  'page_token'?: (string);
  'order_by'?: (string);
}

export interface SearchTodosRequest__Output {
  'pattern': (string);
  'tags': (string)[];
  'states': (_todo_v1_Todo_State__Output)[];
  'reminder_after': (_google_protobuf_Timestamp__Output | null);
  'reminder_before': (_google_protobuf_Timestamp__Output | null);
  'page_size': (number);
  'page_token': (string);
  'order_by': (string);
}
