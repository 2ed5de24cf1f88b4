// The client's typed surface: a failed call is a CliError whose kind and gRPC status are what commands
// act on (never its text).
import { expect, test } from "bun:test";
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
    const error = await failure(client.call("GetTodo", { id: "0123456789abcdef01234567" }));
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
