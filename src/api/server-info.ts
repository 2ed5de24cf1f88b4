// todo.v1.ServerInfoService: what this daemon is (version and build commit), for `todo version`.
import type { ServerInfoServiceHandlers } from "../proto/gen/types/todo/v1/ServerInfoService";
import { VERSION } from "../version";
import type { AsyncHandlers } from "./grpc/handlers";

export const SERVER_INFO_SERVICE = "todo.v1.ServerInfoService";

export function serverInfo(): AsyncHandlers<ServerInfoServiceHandlers> {
  return {
    GetServerInfo: async (_request, ctx) => ({ version: VERSION.version, commit: VERSION.commit, caller: ctx.principal }),
  };
}
