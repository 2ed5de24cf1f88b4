// Original file: todo/v1/events.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { TodoCreated as _todo_v1_TodoCreated, TodoCreated__Output as _todo_v1_TodoCreated__Output } from '../../todo/v1/TodoCreated';
import type { TodoUpdated as _todo_v1_TodoUpdated, TodoUpdated__Output as _todo_v1_TodoUpdated__Output } from '../../todo/v1/TodoUpdated';
import type { TodoDeleted as _todo_v1_TodoDeleted, TodoDeleted__Output as _todo_v1_TodoDeleted__Output } from '../../todo/v1/TodoDeleted';
import type { ReminderDue as _todo_v1_ReminderDue, ReminderDue__Output as _todo_v1_ReminderDue__Output } from '../../todo/v1/ReminderDue';
import type { Long } from '@grpc/proto-loader';

export interface TodoEvent {
  'event_id'?: (string);
  'position'?: (number | string | Long);
  'todo_id'?: (string);
  'version'?: (number | string | Long);
  'time'?: (_google_protobuf_Timestamp | null);
  'actor'?: (string);
  'created'?: (_todo_v1_TodoCreated | null);
  'updated'?: (_todo_v1_TodoUpdated | null);
  'deleted'?: (_todo_v1_TodoDeleted | null);
  'reminder_due'?: (_todo_v1_ReminderDue | null);
  'change'?: "created"|"updated"|"deleted"|"reminder_due";
}

export interface TodoEvent__Output {
  'event_id': (string);
  'position': (string);
  'todo_id': (string);
  'version': (string);
  'time': (_google_protobuf_Timestamp__Output | null);
  'actor': (string);
  'created'?: (_todo_v1_TodoCreated__Output | null);
  'updated'?: (_todo_v1_TodoUpdated__Output | null);
  'deleted'?: (_todo_v1_TodoDeleted__Output | null);
  'reminder_due'?: (_todo_v1_ReminderDue__Output | null);
  'change'?: "created"|"updated"|"deleted"|"reminder_due";
}
