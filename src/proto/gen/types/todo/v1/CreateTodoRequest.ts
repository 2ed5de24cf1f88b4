// Original file: todo/v1/todo.proto

import type { Todo as _todo_v1_Todo, Todo__Output as _todo_v1_Todo__Output } from '../../todo/v1/Todo';

export interface CreateTodoRequest {
  'todo'?: (_todo_v1_Todo | null);
  'todo_id'?: (string);
}

export interface CreateTodoRequest__Output {
  'todo': (_todo_v1_Todo__Output | null);
  'todo_id': (string);
}
