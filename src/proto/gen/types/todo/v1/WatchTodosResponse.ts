// Original file: todo/v1/todo.proto

import type { TodoEvent as _todo_v1_TodoEvent, TodoEvent__Output as _todo_v1_TodoEvent__Output } from '../../todo/v1/TodoEvent';
import type { Long } from '@grpc/proto-loader';

export interface WatchTodosResponse {
  'event'?: (_todo_v1_TodoEvent | null);
  'position'?: (number | string | Long);
}

export interface WatchTodosResponse__Output {
  'event': (_todo_v1_TodoEvent__Output | null);
  'position': (string);
}
