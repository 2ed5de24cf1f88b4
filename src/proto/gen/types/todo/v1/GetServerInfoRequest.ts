// Original file: todo/v1/server_info.proto


export interface GetServerInfoRequest {
}

export interface GetServerInfoRequest__Output {
}
