// Original file: todo/v1/events.proto

import type { Todo as _todo_v1_Todo, Todo__Output as _todo_v1_Todo__Output } from '../../todo/v1/Todo';

export interface TodoCreated {
  'todo'?: (_todo_v1_Todo | null);
}

export interface TodoCreated__Output {
  'todo': (_todo_v1_Todo__Output | null);
}
