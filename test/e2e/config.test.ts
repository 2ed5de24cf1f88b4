// The client's config file ($XDG_CONFIG_HOME/todo/config.toml): flags beat the environment, which beats
// the file, which beats the default; `todo config show` says which one each value came from.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, type Daemon, startDaemon } from "../support/daemon";

let daemon: Daemon;

beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

/** A config home holding todo/config.toml with `text`; returns XDG_CONFIG_HOME and the file's path. */
function configHome(text?: string): { XDG_CONFIG_HOME: string; file: string } {
  const home = mkdtempSync(join(tmpdir(), "todo-config-"));
  const file = join(home, "todo", "config.toml");
  if (text !== undefined) {
    mkdirSync(join(home, "todo"));
    writeFileSync(file, text);
  }
  return { XDG_CONFIG_HOME: home, file };
}

const show = async (env: Record<string, string>, ...flags: string[]) => JSON.parse((await cli(["config", "show", "--json", ...flags], env)).stdout);

test("without a file, the defaults", async () => {
  const { XDG_CONFIG_HOME, file } = configHome();
  const r = await cli(["config", "show"], { XDG_CONFIG_HOME });
  expect(r).toEqual({
    stdout: [
      "addr       localhost:8080  (default)",
      "timeout    10              (default)",
      "tls        false           (default)",
      "ca         -               (default)",
      "token      -               (default)",
      "token-file -               (default)",
      "cert       -               (default)",
      "key        -               (default)",
      `config file: ${file} (none)\n`,
    ].join("\n"),
    stderr: "",
    exitCode: 0,
  });
});

test("the file's values are used, a relative ca is beside the file, and env and flags win over it", async () => {
  const { XDG_CONFIG_HOME, file } = configHome('addr = "todo.example.com:443"\ntls = true\nca = "certs/ca.pem"\ntimeout = 30\n');
  const dir = join(XDG_CONFIG_HOME, "todo");
  expect(await show({ XDG_CONFIG_HOME })).toEqual({
    addr: { value: "todo.example.com:443", source: `file ${file}` },
    timeout: { value: 30, source: `file ${file}` },
    tls: { value: true, source: `file ${file}` },
    ca: { value: join(dir, "certs/ca.pem"), source: `file ${file}` },
    token: { value: null, source: "default" },
    "token-file": { value: null, source: "default" },
    cert: { value: null, source: "default" },
    key: { value: null, source: "default" },
    configFile: file,
    configFileExists: true,
  });
  const overridden = await show({ XDG_CONFIG_HOME, TODO_ADDR: "env.example:8080", TODO_TLS: "false" }, "--addr", "flag.example:9090", "--timeout", "5");
  expect(overridden).toMatchObject({
    addr: { value: "flag.example:9090", source: "flag --addr" },
    timeout: { value: 5, source: "flag --timeout" },
    tls: { value: false, source: "env TODO_TLS" },
  });
  expect((await show({ XDG_CONFIG_HOME, TODO_ADDR: "env.example:8080" })).addr).toEqual({ value: "env.example:8080", source: "env TODO_ADDR" });
});

test("without XDG_CONFIG_HOME the file is ~/.config/todo/config.toml", async () => {
  const home = mkdtempSync(join(tmpdir(), "todo-home-"));
  mkdirSync(join(home, ".config", "todo"), { recursive: true });
  writeFileSync(join(home, ".config", "todo", "config.toml"), `addr = "${daemon.addr}"\n`);
  expect((await show({ HOME: home })).addr.source).toBe(`file ${join(home, ".config", "todo", "config.toml")}`);
});

test("client commands reach the daemon the file names", async () => {
  const { XDG_CONFIG_HOME } = configHome(`addr = "${daemon.addr}"\n`);
  const created = await cli(["add", "from the config file"], { XDG_CONFIG_HOME });
  expect(created.exitCode).toBe(0);
  expect((await cli(["list", "--json"], { XDG_CONFIG_HOME })).stdout).toContain('"title":"from the config file"');
});

test("a bad file is exit 2 naming the file, the setting and the fix; the command does not run", async () => {
  const cases: [string, string][] = [
    ['adr = "x"\n', 'unknown setting "adr"; did you mean addr? (settings: addr, timeout, tls, ca, token, token-file, cert, key)'],
    ["tls = \"yes\"\n", 'tls: "yes" is not true or false'],
    ["timeout = -1\n", "timeout: -1 is not a positive number of seconds"],
    ["addr = \n", ":1:8: not TOML"],
  ];
  for (const [text, message] of cases) {
    const { XDG_CONFIG_HOME, file } = configHome(text);
    const r = await cli(["add", "never created", "--addr", daemon.addr], { XDG_CONFIG_HOME });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toStartWith(`todo: ${file}`);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  }
  expect((await cli(["search", "never created", "--json", "--addr", daemon.addr])).stdout).toBe("");
  const badEnv = await cli(["config", "show"], { TODO_TIMEOUT: "soon" });
  expect([badEnv.exitCode, badEnv.stderr]).toEqual([2, 'todo: --timeout / TODO_TIMEOUT: "soon" is not a positive number of seconds\n']);
});
