// Original file: todo/v1/resources.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

// Original file: todo/v1/resources.proto

export const _todo_v1_Todo_State = {
  STATE_UNSPECIFIED: 'STATE_UNSPECIFIED',
  STATE_NOT_STARTED: 'STATE_NOT_STARTED',
  STATE_IN_PROGRESS: 'STATE_IN_PROGRESS',
  STATE_DONE: 'STATE_DONE',
} as const;

export type _todo_v1_Todo_State =
  | 'STATE_UNSPECIFIED'
  | 0
  | 'STATE_NOT_STARTED'
  | 1
  | 'STATE_IN_PROGRESS'
  | 2
  | 'STATE_DONE'
  | 3

export type _todo_v1_Todo_State__Output = typeof _todo_v1_Todo_State[keyof typeof _todo_v1_Todo_State]

export interface Todo {
  'id'?: (string);
  'title'?: (string);
  'description'?: (string);
  'tags'?: (string)[];
  'reminder'?: (_google_protobuf_Timestamp | null);
  'state'?: (_todo_v1_Todo_State);
  'create_time'?: (_google_protobuf_Timestamp | null);
  'update_time'?: (_google_protobuf_Timestamp | null);
  'etag'?: (string);
  'number'?: (number | string | Long);
}

export interface Todo__Output {
  'id': (string);
  'title': (string);
  'description': (string);
  'tags': (string)[];
  'reminder': (_google_protobuf_Timestamp__Output | null);
  'state': (_todo_v1_Todo_State__Output);
  'create_time': (_google_protobuf_Timestamp__Output | null);
  'update_time': (_google_protobuf_Timestamp__Output | null);
  'etag': (string);
  'number': (string);
}
