// v1.ToDoService, the original todod's API, over the same store as todo.v1.TodoService: clients generated
// from the original schema keep working, and both APIs see the same todos under the same ids. Validation
// limits, timestamp mapping and error statuses are the domain's; only the wire shape and the original's
// semantics (empty Read, 0/1 counts, description-only search) live here.
import { loadEmbedded } from "../proto/loader";
import type { CreateRequest__Output } from "../proto/gen/types/v1/CreateRequest";
import type { CreateResponse } from "../proto/gen/types/v1/CreateResponse";
import type { DeleteRequest__Output } from "../proto/gen/types/v1/DeleteRequest";
import type { DeleteResponse } from "../proto/gen/types/v1/DeleteResponse";
import type { ReadRequest__Output } from "../proto/gen/types/v1/ReadRequest";
import type { ReadResponse } from "../proto/gen/types/v1/ReadResponse";
import type { SearchRequest__Output } from "../proto/gen/types/v1/SearchRequest";
import type { SearchResponse } from "../proto/gen/types/v1/SearchResponse";
import type { _v1_ToDo_State__Output as LegacyState, ToDo, ToDo__Output } from "../proto/gen/types/v1/ToDo";
import type { ToDoServiceDefinition } from "../proto/gen/types/v1/ToDoService";
import type { UpdateRequest__Output } from "../proto/gen/types/v1/UpdateRequest";
import type { UpdateResponse } from "../proto/gen/types/v1/UpdateResponse";
import { NotFoundError, type TodoStore } from "../store/store";
import { InvalidArgumentError } from "./invalid-argument";
import { toTimestamp } from "./mapping";
import type { State, TodoFields, TodoRecord } from "./model";
import { parseDescription, parseId, parsePattern, parseTags, parseTimestamp, parseTitle } from "./validate";

export const LEGACY_SERVICE = "v1.ToDoService";

/** The package definition of proto/v1/todo.proto, for addService and reflection. */
export const legacyPackage = loadEmbedded("v1/todo.proto");
export const legacyDefinition = legacyPackage[LEGACY_SERVICE] as unknown as ToDoServiceDefinition;

/**
 * Search answers in one message, so it is capped: at most this many todos (the oldest first), and no more
 * than fits the 4 MiB receive limit that grpc-go, grpc-java and grpc-js clients apply by default.
 * Documented in the README; todo.v1's SearchTodos pages instead.
 */
export const SEARCH_LIMITS = { todos: 1_000, bytes: 4 * 1024 * 1024 } as const;

const TO_DOMAIN: Record<LegacyState, State> = { NOT_STARTED: "STATE_NOT_STARTED", IN_PROGRESS: "STATE_IN_PROGRESS", DONE: "STATE_DONE" };
const TO_LEGACY = Object.fromEntries(Object.entries(TO_DOMAIN).map(([legacy, state]) => [state, legacy])) as Record<State, LegacyState>;

/** The decoder passes an enum number it does not know through as a number. */
function parseState(field: string, state: LegacyState | number): State {
  const domain = typeof state === "string" ? TO_DOMAIN[state] : undefined;
  if (!domain) throw new InvalidArgumentError(field, `unknown state ${state}; use one of ${Object.keys(TO_DOMAIN).join(", ")}`);
  return domain;
}

export function toLegacyToDo(todo: TodoRecord): ToDo {
  return {
    id: todo.id,
    title: todo.title,
    description: todo.description,
    tags: todo.tags,
    reminder: todo.reminder === null ? null : toTimestamp(todo.reminder),
    state: TO_LEGACY[todo.state],
  };
}

function parseNewToDo(toDo: ToDo__Output | null): TodoFields {
  if (!toDo) throw new InvalidArgumentError("toDo", "is required");
  return {
    title: parseTitle("toDo.title", toDo.title),
    description: parseDescription("toDo.description", toDo.description),
    tags: parseTags("toDo.tags", toDo.tags),
    reminder: toDo.reminder ? parseTimestamp("toDo.reminder", toDo.reminder) : null,
    state: parseState("toDo.state", toDo.state),
  };
}

/** The original's update: tags and state always; title and description when non-empty; reminder when set. */
function parseToDoUpdate(toDo: ToDo__Output | null): { id: string; fields: Partial<TodoFields> } {
  if (!toDo) throw new InvalidArgumentError("toDo", "is required");
  const fields: Partial<TodoFields> = {
    tags: parseTags("toDo.tags", toDo.tags),
    state: parseState("toDo.state", toDo.state),
  };
  if (toDo.title !== "") fields.title = parseTitle("toDo.title", toDo.title);
  if (toDo.description !== "") fields.description = parseDescription("toDo.description", toDo.description);
  if (toDo.reminder) fields.reminder = parseTimestamp("toDo.reminder", toDo.reminder);
  return { id: parseId("toDo.id", toDo.id), fields };
}

/** 1 when `write` found the todo, 0 when the store says it does not exist. */
async function count(write: Promise<unknown>): Promise<string> {
  try {
    await write;
    return "1";
  } catch (e) {
    if (e instanceof NotFoundError) return "0";
    throw e;
  }
}

export function legacyService(store: TodoStore, limits: { todos: number; bytes: number } = SEARCH_LIMITS) {
  const encodedSize = (toDo: ToDo) => legacyDefinition.Search.responseSerialize({ toDos: [toDo] }).length;

  return {
    async Create(request: CreateRequest__Output): Promise<CreateResponse> {
      const { todo } = await store.create(parseNewToDo(request.toDo));
      return { id: todo.id };
    },

    async Read(request: ReadRequest__Output): Promise<ReadResponse> {
      const todo = await store.get(parseId("id", request.id));
      return todo ? { toDo: toLegacyToDo(todo) } : {};
    },

    async Update(request: UpdateRequest__Output): Promise<UpdateResponse> {
      const { id, fields } = parseToDoUpdate(request.toDo);
      return { updated: await count(store.update(id, fields)) };
    },

    async Delete(request: DeleteRequest__Output): Promise<DeleteResponse> {
      return { deleted: await count(store.delete(parseId("id", request.id))) };
    },

    async Search(request: SearchRequest__Output): Promise<SearchResponse> {
      if (request.pattern) parsePattern("pattern", request.pattern);
      const page = await store.search({
        pattern: request.pattern || undefined,
        patternFields: ["description"],
        tags: request.tags.length ? parseTags("tags", request.tags) : [],
        states: [...new Set(request.states.map((s) => parseState("states", s)))],
        order: { field: "create_time", descending: false },
        limit: limits.todos,
      });
      // A repeated field encodes as the concatenation of its one-element encodings, so sizes add up exactly.
      const toDos: ToDo[] = [];
      let bytes = 0;
      for (const todo of page.todos) {
        const toDo = toLegacyToDo(todo);
        bytes += encodedSize(toDo);
        if (bytes > limits.bytes) break;
        toDos.push(toDo);
      }
      return { toDos };
    },
  };
}
