// Original file: v1/todo.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp';

// Original file: v1/todo.proto

export const _v1_ToDo_State = {
  NOT_STARTED: 'NOT_STARTED',
  IN_PROGRESS: 'IN_PROGRESS',
  DONE: 'DONE',
} as const;

export type _v1_ToDo_State =
  | 'NOT_STARTED'
  | 0
  | 'IN_PROGRESS'
  | 1
  | 'DONE'
  | 2

export type _v1_ToDo_State__Output = typeof _v1_ToDo_State[keyof typeof _v1_ToDo_State]

export interface ToDo {
  'id'?: (string);
  'title'?: (string);
  'description'?: (string);
  'tags'?: (string)[];
  'reminder'?: (_google_protobuf_Timestamp | null);
  'state'?: (_v1_ToDo_State);
}

export interface ToDo__Output {
  'id': (string);
  'title': (string);
  'description': (string);
  'tags': (string)[];
  'reminder': (_google_protobuf_Timestamp__Output | null);
  'state': (_v1_ToDo_State__Output);
}
