// Original file: v1/todo.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteResponse {
  'deleted'?: (number | string | Long);
}

export interface DeleteResponse__Output {
  'deleted': (string);
}
