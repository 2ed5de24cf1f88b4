// Original file: v1/todo.proto

import type { _v1_ToDo_State, _v1_ToDo_State__Output } from '../v1/ToDo';

export interface SearchRequest {
  'pattern'?: (string);
  'tags'?: (string)[];
  'states'?: (_v1_ToDo_State)[];
}

export interface SearchRequest__Output {
  'pattern': (string);
  'tags': (string)[];
  'states': (_v1_ToDo_State__Output)[];
}
