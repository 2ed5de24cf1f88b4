// Regression for Bun's HPACK encoder ignoring the peer's SETTINGS_HEADER_TABLE_SIZE=0 (oven-sh/bun#19152):
// behind nginx grpc_pass, as under ingress-nginx, every call failed with HTTP 502 and nginx logged
// "upstream sent invalid http2 table index". The CLI's calls, errors included, must pass through.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { findNginx, type Nginx, startNginx } from "../support/nginx";
import { steps } from "../support/steps";

const nginxPath = findNginx();
if (!nginxPath) {
  const hint = "nginx is not installed (apt-get install nginx-light)";
  if (process.env.CI === "true")
    test("nginx is available", () => {
      throw new Error(`${hint}; CI must provide it`);
    });
  else console.warn(`skipping the nginx grpc_pass tests: ${hint}`);
}

describe.skipIf(!nginxPath)("todo behind nginx grpc_pass", () => {
  let daemon: Daemon;
  let nginx: Nginx;
  const viaNginx = (args: string[]) => cli([...args, "--addr", nginx.addr]);

  beforeAll(async () => {
    daemon = await startDaemon();
    nginx = await startNginx(nginxPath!, daemon.addr);
  }, 120_000); // may build dist/todo first

  afterAll(async () => {
    await nginx?.stop();
    await daemon?.stop();
  });

  let id: string;
  // read and search work on the todo create made.
  const step = steps();

  step("create", async () => {
    const created = await viaNginx(["create", "--title", "Through the proxy", "--description", "proxied event", "--tags", "ops,nginx"]);
    expect(created.stderr).toBe("");
    expect(created.exitCode).toBe(0);
    expect(created.stdout).toMatch(/^created [0-9a-f]{24}\n$/);
    id = created.stdout.trim().split(" ")[1]!;
  });

  step("read", async () => {
    for (let i = 0; i < 2; i++) {
      const read = await viaNginx(["read", "--id", id, "--json"]);
      expect(read.stderr).toBe("");
      expect(read.exitCode).toBe(0);
      expect(JSON.parse(read.stdout)).toMatchObject({ id, title: "Through the proxy", description: "proxied event", tags: ["ops", "nginx"], state: "STATE_NOT_STARTED" });
    }
  });

  step("search, with and without a pattern", async () => {
    await viaNginx(["create", "--title", "Second", "--description", "unrelated"]);
    const all = await viaNginx(["search", "--json"]);
    expect(all.exitCode).toBe(0);
    expect(all.stdout.trim().split("\n").map((l) => JSON.parse(l).title)).toEqual(["Through the proxy", "Second"]);
    const matched = await viaNginx(["search", "--pattern", ".event.*", "--json"]);
    expect(matched.exitCode).toBe(0);
    expect(matched.stdout.trim().split("\n").map((l) => JSON.parse(l).id)).toEqual([id]);
  });

  test("NOT_FOUND and INVALID_ARGUMENT pass through with their details", async () => {
    const missing = "0123456789abcdef01234567";
    const notFound = await viaNginx(["read", "--id", missing]);
    expect(notFound.stdout).toBe("");
    expect(notFound.stderr).toBe(`todo: no todo with id ${missing}\n`);
    expect(notFound.exitCode).toBe(1);

    const invalid = await viaNginx(["search", "--pattern", "("]);
    expect(invalid.stderr).toMatch(/^todo: invalid argument: pattern: .+\n$/);
    expect(invalid.exitCode).toBe(2);
  });

  test("nginx logged no invalid header block from the daemon", () => {
    expect(nginx.errorLog()).not.toContain("upstream sent invalid http2 table index");
    expect(nginx.errorLog()).not.toContain("upstream sent invalid header");
  });
});
