// Original file: v1/todo.proto


export interface ReadRequest {
  'id'?: (string);
}

export interface ReadRequest__Output {
  'id': (string);
}
