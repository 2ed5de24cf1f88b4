// Original file: v1/todo.proto


export interface DeleteRequest {
  'id'?: (string);
}

export interface DeleteRequest__Output {
  'id': (string);
}
