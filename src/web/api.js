// How the page talks to the daemon: its REST routes on this origin (proto3 JSON, errors as
// google.rpc.Status JSON), and the event log as server-sent events, read with fetch() because
// EventSource cannot send the Authorization header. The token lives in sessionStorage: this tab only.

const TOKEN_KEY = "todo.token";

export const tokenKept = () => sessionStorage.getItem(TOKEN_KEY) !== null;
export const keepToken = (token) => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

export class ApiError extends Error {
  constructor(httpStatus, code, message) {
    super(message);
    this.httpStatus = httpStatus;
    this.code = code;
  }

  /** A missing, wrong or revoked token: 401, or UNAUTHENTICATED (16) ending a watch already open. */
  get unauthenticated() {
    return this.httpStatus === 401 || this.code === 16;
  }
}

function headers(extra = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

/** The google.rpc.Status JSON of a failed response, as an ApiError with its message. */
async function failure(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {}
  const message = typeof body.message === "string" && body.message ? body.message : `${response.status} ${response.statusText}`;
  return new ApiError(response.status, body.code ?? 0, message);
}

const UNREACHABLE = "the daemon does not answer; check that todo serve is running, then reload the page";

/** One REST call; `etag` goes in If-Match. Resolves with the JSON answer, rejects with an ApiError. */
export async function call(method, path, { body, etag } = {}) {
  const extra = { Accept: "application/json" };
  if (body !== undefined) extra["Content-Type"] = "application/json";
  if (etag) extra["If-Match"] = `"${etag}"`;
  let response;
  try {
    response = await fetch(path, { method, headers: headers(extra), body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  } catch {
    throw new ApiError(0, 14, UNREACHABLE);
  }
  if (!response.ok) throw await failure(response);
  return await response.json();
}

/** Calls onMessage with each event's parsed data; an `event: error` ends the stream with its Status. */
async function readEvents(path, signal, onOpen, onMessage) {
  const response = await fetch(path, { headers: headers({ Accept: "text/event-stream" }), signal, cache: "no-store" });
  if (!response.ok) throw await failure(response);
  onOpen();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
      let type = "message";
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith("event:")) type = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (!data.length) continue;
      const parsed = JSON.parse(data.join("\n"));
      if (type === "error") throw new ApiError(200, parsed.code ?? 0, parsed.message ?? "the watch failed");
      onMessage(parsed);
    }
  }
}

/**
 * Follows the event log (GET /v1/todos:watch) until `signal` aborts or the token is refused: from now,
 * then, after a break, from the last position seen, so no change is missed. `opened()` each time a
 * stream opens, `message(m)` for each WatchTodosResponse, `paused()` when a stream ends and the next
 * is awaited (1 s, doubling up to 30 s), `refused(error)` when the token is missing or revoked.
 */
export async function followLog(signal, { opened, message, paused, refused }) {
  let after = null;
  let delay = 1000;
  while (!signal.aborted) {
    const query = after === null ? "fromNow=true" : `afterPosition=${after}`;
    try {
      await readEvents(`/v1/todos:watch?${query}`, signal, opened, (m) => {
        delay = 1000;
        if (m.position) after = m.position;
        message(m);
      });
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.unauthenticated) return refused(error);
      // RESOURCE_EXHAUSTED: this reader fell too far behind; start again from now (opened() reloads).
      if (error instanceof ApiError && error.code === 8) after = null;
    }
    if (signal.aborted) return;
    paused();
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 30_000);
  }
}
