// Original file: todo/v1/todo.proto

import type { Todo as _todo_v1_Todo, Todo__Output as _todo_v1_Todo__Output } from '../../todo/v1/Todo';

export interface SearchTodosResponse {
  'todos'?: (_todo_v1_Todo)[];
  'next_page_token'?: (string);
}

export interface SearchTodosResponse__Output {
  'todos': (_todo_v1_Todo__Output)[];
  'next_page_token': (string);
}
