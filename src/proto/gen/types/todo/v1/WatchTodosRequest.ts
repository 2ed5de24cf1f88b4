// Original file: todo/v1/todo.proto

import type { Long } from '@grpc/proto-loader';

export interface WatchTodosRequest {
  'after_position'?: (number | string | Long);
  'from_now'?: (boolean);
  'todo_ids'?: (string)[];
  'tags'?: (string)[];
  'reminders_only'?: (boolean);
}

export interface WatchTodosRequest__Output {
  'after_position': (string);
  'from_now': (boolean);
  'todo_ids': (string)[];
  'tags': (string)[];
  'reminders_only': (boolean);
}
