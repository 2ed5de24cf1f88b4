// Original file: todo/v1/events.proto

import type { Todo as _todo_v1_Todo, Todo__Output as _todo_v1_Todo__Output } from '../../todo/v1/Todo';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface ReminderDue {
  'todo'?: (_todo_v1_Todo | null);
  'reminder'?: (_google_protobuf_Timestamp | null);
}

export interface ReminderDue__Output {
  'todo': (_todo_v1_Todo__Output | null);
  'reminder': (_google_protobuf_Timestamp__Output | null);
}
