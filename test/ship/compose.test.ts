// compose.yml: parsed and its wiring checked here; then loaded by compose-go, the library `docker compose`
// itself uses to parse, validate against the Compose Specification schema and normalise a project.
// (`docker compose config` needs the compose plugin, which this machine's docker client lacks.)
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, run, toolOrSkip } from "./tools";

/** compose-go's own command (cmd/main.go), run through the Go module proxy like the other tools. */
export const COMPOSE_GO = "github.com/compose-spec/compose-go/v2/cmd@v2.16.2";

const compose = Bun.YAML.parse(readFileSync(join(ROOT, "compose.yml"), "utf8")) as Record<string, any>;
const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const go = toolOrSkip("go", `compose.yml validation by compose-go (${COMPOSE_GO})`);

describe("compose.yml", () => {
  const { mongo, todod, rabbitmq } = compose.services;

  test("mongo: the official image, a mongosh ping healthcheck, a named volume", () => {
    expect(mongo.image).toMatch(/^mongo:\d+\.\d+$/);
    expect(mongo.healthcheck.test).toEqual(["CMD", "mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"]);
    expect(mongo.volumes).toEqual(["mongo-data:/data/db"]);
    expect(mongo.profiles).toBeUndefined();
  });

  test("todod: built from the Dockerfile's runtime stage, on MongoDB, ports 8080 and 8081, after a healthy mongo", () => {
    expect(todod.build.context).toBe(".");
    expect(todod.build.target).toBe("runtime");
    expect(dockerfile).toMatch(/^FROM \S+ AS runtime$/m);
    for (const arg of Object.keys(todod.build.args)) expect(dockerfile).toContain(`ARG ${arg}`);
    // The host name is the compose service name.
    expect(todod.environment.MONGO_URL).toBe("mongodb://mongo:27017/todo");
    expect(todod.ports).toEqual(["8080:8080", "8081:8081"]);
    expect(todod.depends_on).toEqual({ mongo: { condition: "service_healthy" } });
    expect(todod.volumes).toEqual(["todo-data:/data"]);
    // Longer than the daemon's 10 s drain.
    expect(Number.parseInt(todod.stop_grace_period)).toBeGreaterThan(10);
    expect(todod.read_only).toBe(true);
    expect(todod.cap_drop).toEqual(["ALL"]);
    expect(todod.profiles).toBeUndefined();
    // The image binds 0.0.0.0: the daemon starts only with tokens, here a compose secret (a file).
    expect(todod.environment.TODO_AUTH_TOKENS_FILE).toBe("/run/secrets/todo-tokens");
    expect(todod.secrets).toEqual(["todo-tokens"]);
    expect(compose.secrets["todo-tokens"].file).toBe("${TODO_TOKENS_FILE:-./todo-tokens}");
  });

  test("the events profile adds RabbitMQ with the management plugin and a healthcheck", () => {
    expect(rabbitmq.profiles).toEqual(["events"]);
    expect(rabbitmq.image).toMatch(/^rabbitmq:[\d.]+-management$/);
    expect(rabbitmq.healthcheck.test).toEqual(["CMD", "rabbitmq-diagnostics", "-q", "ping"]);
    expect(rabbitmq.ports).toContain("5672:5672");
  });

  test("every named volume a service mounts is declared", () => {
    const used = Object.values(compose.services as Record<string, any>)
      .flatMap((s) => (s.volumes ?? []) as string[])
      .map((v) => v.split(":")[0]!);
    expect(used.sort()).toEqual(Object.keys(compose.volumes).sort());
  });

  describe.skipIf(!go)("compose-go (the Compose Specification loader of docker compose)", () => {
    function config(file: string) {
      return run([go!, "run", COMPOSE_GO, "--format", "json", file], { cwd: ROOT, env: { GOFLAGS: "", CGO_ENABLED: "0" } });
    }

    test("validates and normalises compose.yml", () => {
      const r = config(join(ROOT, "compose.yml"));
      if (r.code !== 0) throw new Error(`compose-go rejected compose.yml:\n${r.stderr}`);
      const project = JSON.parse(r.stdout);
      expect(project.name).toBe("todo");
      expect(Object.keys(project.services).sort()).toEqual(["mongo", "rabbitmq", "todod"]);
      expect(project.services.rabbitmq.profiles).toEqual(["events"]);
      const todod = project.services.todod;
      expect(todod.build).toMatchObject({ context: ROOT, dockerfile: "Dockerfile", target: "runtime" });
      expect(todod.depends_on.mongo).toEqual({ condition: "service_healthy", required: true });
      expect(todod.ports.map((p: any) => `${p.published}:${p.target}`)).toEqual(["8080:8080", "8081:8081"]);
      expect(todod.volumes).toEqual([{ type: "volume", source: "todo-data", target: "/data", volume: {} }]);
      expect(todod.build.args).toEqual({ VERSION: "dev", REVISION: "unknown", CREATED: "unknown" });
      expect(Object.keys(project.volumes).sort()).toEqual(["mongo-data", "rabbitmq-data", "todo-data"]);
    }, 300_000);

    test("rejects what docker compose would reject (so the check above is real)", () => {
      const dir = mkdtempSync(join(tmpdir(), "todo-compose-"));
      try {
        const bad = join(dir, "compose.yml");
        writeFileSync(bad, readFileSync(join(ROOT, "compose.yml"), "utf8").replace("service_healthy", "service_ready"));
        const r = config(bad);
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain("services.todod.depends_on.mongo.condition");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 300_000);
  });
});
