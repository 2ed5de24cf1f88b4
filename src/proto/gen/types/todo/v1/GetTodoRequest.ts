// Original file: todo/v1/todo.proto


export interface GetTodoRequest {
  'id'?: (string);
}

export interface GetTodoRequest__Output {
  'id': (string);
}
