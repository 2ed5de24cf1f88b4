// Every process reads a setting with the same parser (src/config): what `todo serve` accepts, `todo
// project` and the admin commands accept, and what it refuses they refuse with the same line, before
// they connect to anything.
import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, hidden } from "../support/daemon";
import { ensureBinary } from "../support/binary";
import { freePort } from "../support/net";

const work = mkdtempSync(join(tmpdir(), "todo-settings-"));

/**
 * Runs `todo args…` until it exits or prints its first line on stdout (a process that got past its
 * settings and started), which stops it: a refused setting is an exit before any output.
 */
async function untilStartedOrExit(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn(hidden([await ensureBinary(), ...args]), { env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env }, stdout: "pipe", stderr: "pipe" });
  const reader = proc.stdout.getReader();
  const firstOutput = reader.read().then(({ value }) => (value ? "started" : "exited"));
  const outcome = await Promise.race([firstOutput, proc.exited.then(() => "exited")]);
  if (outcome === "started") proc.kill("SIGTERM");
  await proc.exited;
  return { started: outcome === "started", stderr: await new Response(proc.stderr).text(), exitCode: proc.exitCode };
}

const withoutPrefix = (stderr: string) => stderr.replace(/^todo: /, "");

test("todo project takes the log levels todo serve takes: the original's warning, fatal, panic, in any case", async () => {
  const broker = `amqp://127.0.0.1:${await freePort()}`;
  for (const level of ["warning", "fatal", "panic", "WARNING", "Info"]) {
    // A log format both refuse is checked after the level: the complaint is about the format only.
    const serve = await cli(["serve", "--grpc-port", "0", "--http-port", "0", "--data-dir", join(work, "serve"), "--log-level", level, "--log-format", "xml"]);
    const project = await cli(["project", "--events-url", broker, "--db", join(work, "p.db"), "--log-level", level, "--log-format", "xml"]);
    expect(serve).toEqual({ stdout: "", stderr: 'todo: --log-format / LOG_FORMAT: "xml" is not json or pretty\n', exitCode: 2 });
    expect(project).toEqual(serve);
  }
}, 60_000);

test("todo project refuses an AMQP URL without a host, as todo serve does, instead of retrying it for ever", async () => {
  for (const url of ["amqp://@/vhost", "amqp://:5672", "amqps://user:secret@"]) {
    const serve = await untilStartedOrExit(["serve", "--grpc-port", "0", "--http-port", "0", "--data-dir", join(work, "serve"), "--events-url", url]);
    const project = await untilStartedOrExit(["project", "--events-url", url, "--db", join(work, "host.db"), "--log-format", "json"]);
    expect(project).toEqual({ started: false, stderr: serve.stderr, exitCode: 2 });
    expect(withoutPrefix(project.stderr)).toStartWith("--events-url / EVENTS_URL: ");
    expect(project.stderr).not.toContain("secret");
  }
}, 60_000);

test("todo migrate refuses a MONGO_DB todo serve would refuse, before it connects", async () => {
  const mongo = `mongodb://127.0.0.1:${await freePort()}/?serverSelectionTimeoutMS=500`;
  for (const name of ["a.b", "bad$name", "with space", "x".repeat(64)]) {
    const serve = await cli(["serve", "--grpc-port", "0", "--http-port", "0", "--mongo-url", mongo], { MONGO_DB: name });
    const migrate = await cli(["migrate", "--mongo-url", mongo], { MONGO_DB: name });
    expect(serve).toEqual({ stdout: "", stderr: `todo: --mongo-db / MONGO_DB: ${JSON.stringify(name)} is not a MongoDB database name (under 64 bytes, none of / \\ . " $ * < > : | ? or spaces)\n`, exitCode: 2 });
    expect(migrate).toEqual(serve);
  }
}, 60_000);

test("the settings todo project shares with todo serve are described alike: variable and default", async () => {
  const notes = async (command: string) => {
    const help = (await cli([command, "--help"], { COLUMNS: "1000" })).stdout;
    // Each flag's line, joined with its wrapped continuation lines: "--name <hint>  text (env X, default Y)".
    const flags = new Map<string, string>();
    let current: string | undefined;
    for (const line of help.split("\n")) {
      const flag = /^ {2}(--[a-z-]+)/.exec(line)?.[1];
      if (flag) flags.set((current = flag), line.trim());
      else if (current && /^ {4,}\S/.test(line)) flags.set(current, `${flags.get(current)} ${line.trim()}`);
      else current = undefined;
    }
    return new Map([...flags].map(([flag, text]) => [flag, /\((env [^()]*)\)$/.exec(text)?.[1]]));
  };
  const [serve, project] = [await notes("serve"), await notes("project")];
  const shared = ["--events-url", "--events-stream", "--data-dir", "--log-level", "--log-format"];
  for (const flag of shared) {
    expect(project.get(flag)).toBeDefined();
    expect([flag, project.get(flag)]).toEqual([flag, serve.get(flag)]);
  }
  expect(serve.get("--events-stream")).toBe("env EVENTS_STREAM, default todo.events");
}, 60_000);
