// Original file: todo/v1/todo.proto


export interface DeleteTodoRequest {
  'id'?: (string);
  'etag'?: (string);
}

export interface DeleteTodoRequest__Output {
  'id': (string);
  'etag': (string);
}
