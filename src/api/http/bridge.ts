// A gRPC service's handlers, callable by the HTTP transports with protobuf-es messages. Each message
// crosses by its binary encoding into the very request object grpc-js would have decoded, and the
// answer back the same way, so the handlers (src/api/todo-v1.ts) stay the one mapping between the wire
// and the application, whatever protocol carried the call.
import { type DescMessage, type DescMethod, type DescService, fromBinary, type Message } from "@bufbuild/protobuf";
import { toBinary } from "@bufbuild/protobuf";
import type { ServiceDefinition } from "@grpc/grpc-js";
import type { CallContext } from "../../todos/context";
import type { ResponseStream, StreamingHandler, UnaryHandler } from "../grpc/handlers";

export interface BridgedMethod {
  readonly method: DescMethod;
  /** "/package.Service/Method": what metrics and the access log call it on every protocol. */
  readonly path: string;
  unary(request: Message, ctx: CallContext): Promise<Message>;
  streaming(request: Message, ctx: CallContext, stream: ResponseStream<Message>): Promise<void>;
}

/** Every method of `service`, served by `handlers` (typed for grpc-js's request objects) through `definition`'s codecs. */
export function bridge(service: DescService, definition: ServiceDefinition, handlers: object): BridgedMethod[] {
  return service.methods.map((method) => {
    const served = definition[method.name];
    const handler = (handlers as Record<string, Function>)[method.name];
    if (!served || !handler) throw new Error(`${service.typeName}.${method.name} has no gRPC handler to bridge`);
    const decode = (request: Message) => served.requestDeserialize(Buffer.from(toBinary(method.input as DescMessage, request)));
    const encode = (response: unknown): Message => fromBinary(method.output as DescMessage, served.responseSerialize(response));
    return {
      method,
      path: served.path,
      unary: async (request, ctx) => encode(await (handler as UnaryHandler<unknown, unknown>)(decode(request), ctx)),
      streaming: (request, ctx, stream) =>
        (handler as StreamingHandler<unknown, unknown>)(decode(request), ctx, {
          write: (message) => stream.write(encode(message)),
          get unsent() {
            return stream.unsent;
          },
        }),
    };
  });
}
