// Original file: v1/todo.proto

import type { ToDo as _v1_ToDo, ToDo__Output as _v1_ToDo__Output } from '../v1/ToDo';

export interface SearchResponse {
  'toDos'?: (_v1_ToDo)[];
}

export interface SearchResponse__Output {
  'toDos': (_v1_ToDo__Output)[];
}
