// Original file: v1/todo.proto


export interface CreateResponse {
  'id'?: (string);
}

export interface CreateResponse__Output {
  'id': (string);
}
