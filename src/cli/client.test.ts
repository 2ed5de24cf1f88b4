// The client's typed surface, against a real daemon: a failed call is a CliError whose kind and gRPC
// status are what commands act on (never its text), and update() builds the request and its mask.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startDaemon, type Daemon } from "../../test/support/daemon";
import { freePort } from "../../test/support/net";
import { ConfigError, ExitCode } from "../config/error";
import { TodoClient } from "./client";
import { CliError } from "./errors";
import { Status } from "./grpc-status";

const clientFor = (addr: string) => new TodoClient({ addr, timeout: 10, tls: false, insecureSkipVerify: false });

/** The rejection of `promise`, which must be a CliError. */
async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

test("nothing listening: kind not-connected (no call was sent), UNAVAILABLE, exit 1", async () => {
  const addr = `127.0.0.1:${await freePort()}`;
  const client = clientFor(addr);
  try {
    const error = await failure(client.get("0123456789abcdef01234567"));
    expect({ kind: error.kind, code: error.code, exitCode: error.exitCode }).toEqual({ kind: "not-connected", code: Status.UNAVAILABLE, exitCode: ExitCode.FAILED });
    expect(error.message).toBe(`cannot reach todod at ${addr} (ECONNREFUSED) — is \`todo serve\` running?`);
  } finally {
    client.close();
  }
});

test("the input's mistakes exit 2, whether a flag or a setting was wrong", () => {
  expect(new CliError("--limit: x", "input").exitCode).toBe(ExitCode.BAD_INPUT);
  expect(new ConfigError("--addr: x").exitCode).toBe(ExitCode.BAD_INPUT);
  expect(new CliError("failed").exitCode).toBe(ExitCode.FAILED);
});

describe("against a daemon", () => {
  let daemon: Daemon;
  let client: TodoClient;
  beforeAll(async () => {
    daemon = await startDaemon();
    client = clientFor(daemon.addr);
  });
  afterAll(async () => {
    client?.close();
    await daemon?.stop();
  });

  const create = () =>
    client.call("CreateTodo", { todo: { title: "buy milk", description: "two litres", tags: ["home", "shop"], reminder: { seconds: 4102444800, nanos: 0 } } });

  test("update changes the fields given and only those; reminder null clears it", async () => {
    const created = await create();
    const titled = await client.update(created.id, { title: "buy oat milk" });
    expect(titled).toMatchObject({ title: "buy oat milk", description: "two litres", tags: ["home", "shop"], state: "STATE_NOT_STARTED" });
    expect(titled.reminder).toEqual(created.reminder);
    const cleared = await client.update(created.id, { reminder: null, tags: [] });
    expect(cleared).toMatchObject({ title: "buy oat milk", description: "two litres", tags: [], reminder: null });
    const done = await client.update(created.id, { state: "STATE_DONE" }, { etag: cleared.etag });
    expect(done).toMatchObject({ title: "buy oat milk", state: "STATE_DONE" });
  });

  test("update with nothing to change is the input's mistake, refused before any call (an empty mask would mean every field)", async () => {
    const created = await create();
    const error = await failure(client.update(created.id, {}));
    expect({ kind: error.kind, code: error.code, exitCode: error.exitCode }).toEqual({ kind: "input", code: undefined, exitCode: ExitCode.BAD_INPUT });
    expect(await client.get(created.id)).toEqual(created);
  });

  test("the daemon's answers are kinds with their status: a stale etag, an unknown id, an invalid field", async () => {
    const created = await create();
    await client.update(created.id, { title: "changed" });
    const stale = await failure(client.update(created.id, { title: "again" }, { etag: created.etag }));
    expect({ kind: stale.kind, code: stale.code, exitCode: stale.exitCode }).toEqual({ kind: "answer", code: Status.FAILED_PRECONDITION, exitCode: ExitCode.FAILED });
    await client.delete(created.id);
    const gone = await failure(client.get(created.id));
    expect({ kind: gone.kind, code: gone.code }).toEqual({ kind: "answer", code: Status.NOT_FOUND });
    const invalid = await failure(client.update((await create()).id, { title: "" }));
    expect({ kind: invalid.kind, code: invalid.code, exitCode: invalid.exitCode }).toEqual({ kind: "input", code: Status.INVALID_ARGUMENT, exitCode: ExitCode.BAD_INPUT });
    expect(invalid.message).toStartWith("invalid argument: ");
  });
});
