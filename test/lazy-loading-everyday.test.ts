// The everyday commands, help and the config file load no daemon code either (see lazy-loading.test.ts,
// whose check this repeats for the commands added since), and the overview and config show load no
// gRPC. (A command's own --help loads its module, and with it gRPC, as before.)
import { expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./support/binary";

const DAEMON_CODE = "/src/server/|/src/store/|/src/api/grpc/|/src/todos/app|node_modules/(mongodb|prom-client|grpc-health-check|@grpc/reflection)/";
const configHome = mkdtempSync(join(tmpdir(), "todo-lazy-"));
mkdirSync(join(configHome, "todo"));
writeFileSync(join(configHome, "todo", "config.toml"), 'timeout = 5\n');

function run(forbidden: string, ...args: string[]) {
  const proc = Bun.spawnSync(["bun", "--preload", join(ROOT, "test/support/forbid-modules.ts"), join(ROOT, "src/main.ts"), ...args], {
    env: { ...process.env, TODO_FORBIDDEN_MODULES: forbidden, TODO_ADDR: "127.0.0.1:1", XDG_CONFIG_HOME: configHome },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { stderr: proc.stderr.toString(), code: proc.exitCode };
}

test("the overview and config show load no gRPC, server or store code", () => {
  for (const args of [[], ["--help"], ["config", "show"]]) expect(run(`${DAEMON_CODE}|node_modules/@grpc/`, ...args)).toEqual({ stderr: "", code: 0 });
});

test("the everyday commands load gRPC but no server or store code, with a config file to read", () => {
  for (const args of [["add", "buy milk", "+shop", "--reminder", "tomorrow 9:00"], ["list"], ["done", "6b0a"], ["start", "--tags", "x"], ["delete", "--tags", "x", "--yes"], ["version"]]) {
    const { stderr } = run(DAEMON_CODE, ...args);
    expect(stderr).toStartWith("todo: cannot reach todod at 127.0.0.1:1");
  }
});
