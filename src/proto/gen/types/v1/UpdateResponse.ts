// Original file: v1/todo.proto

import type { Long } from '@grpc/proto-loader';

export interface UpdateResponse {
  'updated'?: (number | string | Long);
}

export interface UpdateResponse__Output {
  'updated': (string);
}
