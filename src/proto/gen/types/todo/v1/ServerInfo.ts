// Original file: todo/v1/server_info.proto


export interface ServerInfo {
  'version'?: (string);
  'commit'?: (string);
  'caller'?: (string);
}

export interface ServerInfo__Output {
  'version': (string);
  'commit': (string);
  'caller': (string);
}
