// v1.ToDoService, the original todod's API, over the same application core as todo.v1.TodoService:
// clients generated from the original schema keep working, and both APIs see the same todos under the
// same ids. Validation limits and error statuses are the core's; the wire shape is src/wire/legacy-v1.ts;
// only the original's semantics (empty Read, 0/1 counts, description-only search, the update rule) live here.
import { loadEmbedded } from "../proto/loader";
import type { ToDo } from "../proto/gen/types/v1/ToDo";
import type { ToDoServiceDefinition, ToDoServiceHandlers } from "../proto/gen/types/v1/ToDoService";
import type { TodoApp } from "../todos/app";
import { LimitExceededError, NotFoundError } from "../todos/errors";
import { LIMITS } from "../vocabulary/todo";
import { decodeNewToDo, decodeUpdate, parseLegacyState, toLegacyToDo } from "../wire/legacy-v1";
import { asRequestFields, todoFields } from "./fields";
import type { AsyncHandlers } from "./grpc/handlers";

export const LEGACY_SERVICE = "v1.ToDoService";

/** The package definition of proto/v1/todo.proto, for addService and reflection. */
export const legacyPackage = loadEmbedded("v1/todo.proto");
export const legacyDefinition = legacyPackage[LEGACY_SERVICE] as unknown as ToDoServiceDefinition;

/**
 * Search answers in one message, as the original did: every match, as long as the message fits the
 * 4 MiB receive limit that grpc-go, grpc-java and grpc-js clients apply by default. Beyond that it
 * fails, saying how many matched; todo.v1's SearchTodos pages instead.
 */
export const SEARCH_LIMITS = { bytes: 4 * 1024 * 1024 } as const;

/** 1 when `write` changed the todo, 0 when it left it as it was or there is no such todo (MongoDB's modified count, which the original answered). */
async function count(write: Promise<boolean>): Promise<string> {
  try {
    return (await write) ? "1" : "0";
  } catch (e) {
    if (e instanceof NotFoundError) return "0";
    throw e;
  }
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

const CREATE_FIELDS = todoFields("toDo");
const UPDATE_FIELDS = todoFields("toDo", { id: "toDo.id" });

export function legacyV1(app: TodoApp, limits: { bytes: number } = SEARCH_LIMITS): AsyncHandlers<ToDoServiceHandlers> {
  const encodedSize = (toDo: ToDo) => legacyDefinition.Search.responseSerialize({ toDos: [toDo] }).length;

  return {
    Create: (request, ctx) => asRequestFields(CREATE_FIELDS, async () => ({ id: (await app.create(ctx, { todo: decodeNewToDo(request.toDo) })).id })),

    Read: async (request, ctx) => {
      try {
        return { toDo: toLegacyToDo(await app.get(ctx, request.id)) };
      } catch (e) {
        if (e instanceof NotFoundError) return {};
        throw e;
      }
    },

    Update: (request, ctx) =>
      asRequestFields(UPDATE_FIELDS, async () => ({ updated: await count(app.updateIfChanged(ctx, decodeUpdate(request.toDo)).then((r) => r.changed)) })),

    Delete: async (request, ctx) => ({ deleted: await count(app.delete(ctx, { id: request.id }).then(() => true)) }),

    Search: async (request, ctx) => {
      const filters = {
        pattern: request.pattern,
        patternFields: ["description"] as const,
        tags: request.tags,
        states: request.states.map((s) => parseLegacyState("states", s)),
        pageSize: LIMITS.pageSize,
        // Every page of this call spends from one search budget.
        spending: { ms: 0 },
      };
      // Every page, oldest first. A repeated field encodes as the concatenation of its one-element
      // encodings, so sizes add up exactly. Past the limit the pages are only counted, for the message.
      const toDos: ToDo[] = [];
      let bytes = 0;
      let matched = 0;
      let pageToken = "";
      do {
        const page = await app.search(ctx, { ...filters, pageToken });
        for (const todo of page.todos) {
          matched++;
          if (bytes > limits.bytes) continue;
          const toDo = toLegacyToDo(todo);
          bytes += encodedSize(toDo);
          if (bytes <= limits.bytes) toDos.push(toDo);
        }
        pageToken = page.nextPageToken;
      } while (pageToken);
      if (bytes > limits.bytes)
        throw new LimitExceededError(
          `${matched} todos match, more than one response can carry (${formatBytes(limits.bytes)}, the default receive limit of gRPC clients; ` +
            `the first ${toDos.length} fit): narrow the search with pattern, tags or states, or page through todo.v1.TodoService/SearchTodos`,
        );
      return { toDos };
    },
  };
}
