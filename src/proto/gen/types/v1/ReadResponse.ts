// Original file: v1/todo.proto

import type { ToDo as _v1_ToDo, ToDo__Output as _v1_ToDo__Output } from '../v1/ToDo';

export interface ReadResponse {
  'toDo'?: (_v1_ToDo | null);
}

export interface ReadResponse__Output {
  'toDo': (_v1_ToDo__Output | null);
}
