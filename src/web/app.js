// The todo page: plain ES modules, no framework and no build step. This one is the page itself; api.js
// talks to the daemon. Text from the store is data: it reaches the page through textContent and
// attributes only, never as markup.
import { ApiError, call, followLog, forgetToken, keepToken, tokenKept } from "./api.js";

/** Todos asked for at a time; a reload asks for as many as are shown, so "Show more" pages survive it. */
const PAGE_SIZE = 50;
const STATE_LABELS = { STATE_NOT_STARTED: "Not started", STATE_IN_PROGRESS: "In progress", STATE_DONE: "Done" };
/** The FAILED_PRECONDITION of a stale etag arrives as HTTP 412. */
const CONFLICT = 412;

const $ = (id) => document.getElementById(id);
const el = {
  who: $("who"), signOut: $("sign-out"), status: $("status"), problem: $("problem"),
  signIn: $("sign-in"), signInForm: $("sign-in-form"), token: $("token"), app: $("app"),
  editor: $("editor"), editorHeading: $("editor-heading"), title: $("title"), description: $("description"),
  tags: $("tags"), reminder: $("reminder"), stateField: $("state-field"), state: $("state"), save: $("save"),
  cancelEdit: $("cancel-edit"), filters: $("filters"), pattern: $("filter-pattern"), filterState: $("filter-state"),
  filterTag: $("filter-tag"), order: $("filter-order"), todosHeading: $("todos-heading"), summary: $("summary"),
  list: $("todos"), more: $("more"), template: $("todo-item"),
};

const view = { todos: [], nextPageToken: "", live: false, editing: null, armedDelete: null };
let reloadSeq = 0;
let watchAbort = null;

// ---- Messages ----

function say(message) {
  el.problem.textContent = "";
  el.status.textContent = message;
}

function complain(message) {
  el.problem.textContent = message;
}

/** Shows what went wrong; a refused or missing token brings the sign-in form instead. */
function fail(error) {
  if (error instanceof ApiError && error.unauthenticated) return needSignIn(error);
  complain(error instanceof ApiError ? error.message : `unexpected error: ${error}`);
}

// ---- Signing in and out ----

function needSignIn(error) {
  const hadToken = tokenKept();
  forgetToken();
  stopWatch();
  el.app.hidden = true;
  el.who.hidden = true;
  el.signOut.hidden = true;
  el.signIn.hidden = false;
  if (hadToken) complain(`The daemon refused the token: ${error.message}`);
  else say("Sign in with your token to see your todos.");
  el.token.value = "";
  el.token.focus();
}

async function start() {
  let info;
  try {
    info = await call("GET", "/v1/serverInfo");
  } catch (error) {
    return fail(error);
  }
  el.signIn.hidden = true;
  el.app.hidden = false;
  el.who.hidden = false;
  el.who.textContent = info.caller ? `Signed in as ${info.caller}` : "No sign-in needed";
  el.signOut.hidden = !tokenKept();
  watch();
}

el.signInForm.addEventListener("submit", (event) => {
  event.preventDefault();
  keepToken(el.token.value.trim());
  el.token.value = "";
  say("Signing in…");
  start().then(() => {
    if (!el.app.hidden) {
      say("Signed in.");
      el.title.focus();
    }
  }, fail);
});

el.signOut.addEventListener("click", () => {
  forgetToken();
  stopWatch();
  endEdit();
  view.todos = [];
  render();
  el.app.hidden = true;
  el.who.hidden = true;
  el.signOut.hidden = true;
  el.signIn.hidden = false;
  say("Signed out. The token is gone from this tab.");
  el.token.focus();
});

// ---- Live updates: the watch as server-sent events ----

function stopWatch() {
  watchAbort?.abort();
  watchAbort = null;
  setLive(false);
}

function setLive(live) {
  view.live = live;
  document.documentElement.dataset.live = live ? "on" : "off";
  renderSummary();
}

/** Follows the log until stopped, reloading the list each time the stream opens. */
function watch() {
  stopWatch();
  watchAbort = new AbortController();
  void followLog(watchAbort.signal, {
    // The list is (re)loaded once the stream is open, so no change falls between the two.
    opened: () => scheduleReload(),
    message(message) {
      if (!view.live) setLive(true);
      if (message.event) onEvent(message.event);
    },
    paused: () => setLive(false),
    refused: needSignIn,
  });
}

function onEvent(event) {
  if (event.reminderDue) {
    say(`Reminder: ${event.reminderDue.todo?.title ?? "a todo"}`);
    return;
  }
  if (event.deleted && view.editing?.id === event.todoId) say(`“${view.editing.title}” was deleted elsewhere.`);
  scheduleReload();
}

// ---- The list ----

let reloadTimer = 0;
function scheduleReload() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => reload().catch(fail), 50);
}

/**
 * A search word as the daemon's RE2 pattern, as the CLI's PATTERN argument takes it
 * (positionalPattern in src/cli/filters.ts): literal text, ignoring case unless it holds a capital.
 */
function patternOf(text) {
  if (!text) return "";
  return (/\p{Lu}/u.test(text) ? "" : "(?i)") + text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

function splitTags(text) {
  return [...new Set(text.split(",").map((t) => t.trim()).filter(Boolean))];
}

function searchParams(pageSize, pageToken = "") {
  const params = new URLSearchParams();
  const pattern = patternOf(el.pattern.value.trim());
  if (pattern) params.set("pattern", pattern);
  for (const tag of splitTags(el.filterTag.value)) params.append("tags", tag);
  for (const state of el.filterState.value.split(",").filter(Boolean)) params.append("states", state);
  params.set("orderBy", el.order.value);
  params.set("pageSize", String(pageSize));
  if (pageToken) params.set("pageToken", pageToken);
  return params;
}

async function reload() {
  const seq = ++reloadSeq;
  const page = await call("GET", `/v1/todos?${searchParams(Math.min(1000, Math.max(PAGE_SIZE, view.todos.length)))}`);
  if (seq !== reloadSeq) return; // a newer reload is under way
  view.todos = page.todos ?? [];
  view.nextPageToken = page.nextPageToken ?? "";
  render();
}

el.more.addEventListener("click", () => {
  const seq = ++reloadSeq;
  call("GET", `/v1/todos?${searchParams(PAGE_SIZE, view.nextPageToken)}`).then((page) => {
    if (seq !== reloadSeq) return;
    view.todos = [...view.todos, ...(page.todos ?? [])];
    view.nextPageToken = page.nextPageToken ?? "";
    render();
  }, fail);
});

let filterTimer = 0;
el.filters.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(filterTimer);
  reload().catch(fail);
});
el.filters.addEventListener("input", () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => reload().catch(fail), 250);
});

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function renderSummary() {
  const n = view.todos.length;
  const count = n === 0 ? "No todos match." : `${n} todo${n === 1 ? "" : "s"}${view.nextPageToken ? " shown, more below" : ""}.`;
  el.summary.textContent = `${count} ${view.live ? "Live updates on." : "Live updates paused; reconnecting…"}`;
}

function render() {
  // The list is rebuilt; the control that had focus gets it back, so a keyboard user stays in place.
  const focused = document.activeElement?.closest?.("li.todo") ? document.activeElement : null;
  const focusId = focused?.closest("li.todo").dataset.id;
  const focusClass = focused?.className.split(" ")[0];
  el.list.replaceChildren(...view.todos.map(item));
  if (focusId) el.list.querySelector(`li[data-id="${CSS.escape(focusId)}"] .${focusClass}`)?.focus();
  el.more.hidden = !view.nextPageToken;
  renderSummary();
}

function item(todo) {
  const li = el.template.content.firstElementChild.cloneNode(true);
  const state = todo.state ?? "STATE_NOT_STARTED";
  const done = state === "STATE_DONE";
  li.dataset.id = todo.id;
  li.classList.toggle("done", done);
  li.querySelector(".todo-number").textContent = todo.number ? `#${todo.number}` : "";
  li.querySelector(".todo-text").textContent = todo.title;
  li.querySelector(".todo-description").textContent = todo.description ?? "";
  li.querySelector(".todo-state").textContent = STATE_LABELS[state] ?? state;
  if (todo.reminder) {
    const time = document.createElement("time");
    time.dateTime = todo.reminder;
    time.textContent = timeFormat.format(new Date(todo.reminder));
    li.querySelector(".todo-reminder").append("Reminder ", time);
  }
  for (const tag of todo.tags ?? []) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "tag";
    button.textContent = tag;
    button.setAttribute("aria-label", `${tag}: show todos with this tag`);
    button.addEventListener("click", () => {
      el.filterTag.value = tag;
      reload().then(() => el.todosHeading.focus(), fail);
    });
    const entry = document.createElement("li");
    entry.append(button);
    li.querySelector(".todo-tags").append(entry);
  }
  const name = `“${todo.title}”`;
  const toggle = li.querySelector(".act-toggle");
  toggle.textContent = done ? "Reopen" : "Done";
  toggle.setAttribute("aria-label", `${toggle.textContent} ${name}`);
  toggle.addEventListener("click", () => setState(todo, done ? "STATE_NOT_STARTED" : "STATE_DONE"));
  const edit = li.querySelector(".act-edit");
  edit.setAttribute("aria-label", `Edit ${name}`);
  edit.addEventListener("click", () => beginEdit(todo));
  const del = li.querySelector(".act-delete");
  const armed = view.armedDelete === todo.id;
  del.classList.toggle("armed", armed);
  del.textContent = armed ? "Confirm delete" : "Delete";
  del.setAttribute("aria-label", `${del.textContent} ${name}`);
  del.addEventListener("click", () => remove(todo));
  return li;
}

// ---- Changes ----

/** A stale etag: the todo changed since the page read it. The list is reloaded to show the change. */
function conflict(todo) {
  complain(`“${todo.title}” was changed elsewhere; reloaded. Look at it again, then retry.`);
  scheduleReload();
}

function setState(todo, state) {
  call("PATCH", `/v1/todos/${encodeURIComponent(todo.id)}?updateMask=state`, { body: { state }, etag: todo.etag }).then(
    (updated) => {
      say(`“${updated.title}” is ${STATE_LABELS[state].toLowerCase()}.`);
      scheduleReload();
    },
    (error) => (error.httpStatus === CONFLICT ? conflict(todo) : fail(error)),
  );
}

let disarmTimer = 0;
function remove(todo) {
  if (view.armedDelete !== todo.id) {
    view.armedDelete = todo.id;
    clearTimeout(disarmTimer);
    disarmTimer = setTimeout(() => {
      view.armedDelete = null;
      render();
    }, 6000);
    render();
    say(`Press “Confirm delete” to delete “${todo.title}”.`);
    return;
  }
  view.armedDelete = null;
  call("DELETE", `/v1/todos/${encodeURIComponent(todo.id)}`, { etag: todo.etag }).then(
    () => {
      say(`Deleted “${todo.title}”.`);
      if (view.editing?.id === todo.id) endEdit();
      el.todosHeading.focus();
      scheduleReload();
    },
    (error) => (error.httpStatus === CONFLICT ? conflict(todo) : fail(error)),
  );
}

// ---- The editor: adds a todo, or edits one ----

const pad = (n) => String(n).padStart(2, "0");
/** An RFC 3339 time as a datetime-local value, in the browser's time zone. */
function localInput(time) {
  if (!time) return "";
  const d = new Date(time);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The editor's fields as a Todo in proto3 JSON; a datetime-local value is local time. */
function editorTodo() {
  const todo = { title: el.title.value.trim(), description: el.description.value, tags: splitTags(el.tags.value) };
  if (el.reminder.value) todo.reminder = new Date(el.reminder.value).toISOString().replace(".000Z", "Z");
  if (view.editing) todo.state = el.state.value;
  return todo;
}

function fillEditor(todo) {
  view.editing = { id: todo.id, etag: todo.etag, title: todo.title, fields: todo };
  el.title.value = todo.title;
  el.description.value = todo.description ?? "";
  el.tags.value = (todo.tags ?? []).join(", ");
  el.reminder.value = localInput(todo.reminder);
  el.state.value = todo.state ?? "STATE_NOT_STARTED";
  el.editorHeading.textContent = `Edit todo${todo.number ? ` #${todo.number}` : ""}`;
  el.save.textContent = "Save";
  el.stateField.hidden = false;
  el.cancelEdit.hidden = false;
}

function beginEdit(todo) {
  fillEditor(todo);
  el.title.focus();
  say(`Editing “${todo.title}”.`);
}

function endEdit() {
  view.editing = null;
  el.editor.reset();
  el.editorHeading.textContent = "Add a todo";
  el.save.textContent = "Add";
  el.stateField.hidden = true;
  el.cancelEdit.hidden = true;
}

/** The fields of the edited todo the editor changes, as an update mask. */
function changedFields(before, after) {
  const mask = [];
  if (after.title !== before.title) mask.push("title");
  if (after.description !== (before.description ?? "")) mask.push("description");
  if (after.tags.join("\n") !== (before.tags ?? []).join("\n")) mask.push("tags");
  if (el.reminder.value !== localInput(before.reminder)) mask.push("reminder");
  if (after.state !== (before.state ?? "STATE_NOT_STARTED")) mask.push("state");
  return mask;
}

async function save() {
  const todo = editorTodo();
  const editing = view.editing;
  if (!editing) {
    const created = await call("POST", "/v1/todos", { body: todo });
    endEdit();
    say(`Added “${created.title}”.`);
    el.title.focus();
    scheduleReload();
    return;
  }
  const mask = changedFields(editing.fields, todo);
  if (!mask.length) {
    endEdit();
    say("Nothing changed.");
    return;
  }
  try {
    const updated = await call("PATCH", `/v1/todos/${encodeURIComponent(editing.id)}?updateMask=${mask.join(",")}`, { body: todo, etag: editing.etag });
    endEdit();
    say(`Saved “${updated.title}”.`);
    el.list.querySelector(`li[data-id="${CSS.escape(updated.id)}"] .act-edit`)?.focus();
  } catch (error) {
    if (error.httpStatus !== CONFLICT) throw error;
    // Changed elsewhere since it was opened: show the current version rather than overwrite it.
    try {
      fillEditor(await call("GET", `/v1/todos/${encodeURIComponent(editing.id)}`));
      complain(`“${editing.title}” was changed elsewhere; reloaded. Make your change again.`);
      el.title.focus();
    } catch (again) {
      if (again.httpStatus !== 404) throw again;
      endEdit();
      complain(`“${editing.title}” was deleted elsewhere.`);
    }
  }
  scheduleReload();
}

el.editor.addEventListener("submit", (event) => {
  event.preventDefault();
  el.save.disabled = true;
  save()
    .catch(fail)
    .finally(() => {
      el.save.disabled = false;
    });
});

el.cancelEdit.addEventListener("click", () => {
  endEdit();
  say("Edit cancelled.");
  el.title.focus();
});

el.editor.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && view.editing) el.cancelEdit.click();
});

void start();
