// The original todo-cli README session, run against the compiled binary as a person would.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { steps } from "../support/steps";

const ID = /[0-9a-f]{24}/;
let daemon: Daemon;
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);
const idOf = (stdout: string) => ID.exec(stdout)![0];

beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

describe("the original README session", () => {
  const reminder = 1_573_228_261;
  const ids = { challenge: "", apps: "", eventstore: "", doomed: "" };
  // Each step works on what the ones before it left: the ids created first, the update, the delete.
  const step = steps();

  step("create prints the new id", async () => {
    const challenge = await todo("create", "--title=Read - Challenge - todo", "--description=Read - Should create a micro service with 12factor", "--state=DONE", "--tags=golang,12factor,k8s", `--reminder=${reminder - 180_000}`);
    const apps = await todo("create", "--title=ori", "--description=12factor apps", "--state=NOT_STARTED", "--tags=job", `--reminder=${reminder}`);
    const eventstore = await todo("create", "--title=ori", "--description=12factor eventstore", "--state=NOT_STARTED", "--tags=job", `--reminder=${reminder + 35}`);
    const doomed = await todo("create", "--title=to delete");
    for (const r of [challenge, apps, eventstore, doomed]) {
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^created [0-9a-f]{24}\n$/);
    }
    Object.assign(ids, { challenge: idOf(challenge.stdout), apps: idOf(apps.stdout), eventstore: idOf(eventstore.stdout), doomed: idOf(doomed.stdout) });
    expect(new Set(Object.values(ids)).size).toBe(4);
  });

  step("read shows the whole record", async () => {
    const r = await todo("read", "--id", ids.eventstore);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`ID           ${ids.eventstore}\n`);
    expect(r.stdout).toContain("Title        ori\n");
    expect(r.stdout).toContain("Description  12factor eventstore\n");
    expect(r.stdout).toContain("State        NOT_STARTED\n");
    expect(r.stdout).toContain("Tags         job\n");
    expect(r.stdout).toContain("Reminder     2019-11-08T15:51:36Z\n");
    expect(r.stdout).toContain("Etag         1\n");
    expect((await todo("get", "--id", ids.eventstore)).stdout).toBe(r.stdout);
  });

  step("update changes only the flags given", async () => {
    const r = await todo("update", "--id", ids.eventstore, "--tags=job,golang");
    expect(r).toEqual({ stdout: `updated ${ids.eventstore}\n`, stderr: "", exitCode: 0 });
    const json = JSON.parse((await todo("read", "--id", ids.eventstore, "--json")).stdout);
    expect(json).toMatchObject({ id: ids.eventstore, title: "ori", description: "12factor eventstore", tags: ["job", "golang"], state: "STATE_NOT_STARTED", reminder: "2019-11-08T15:51:36Z", etag: "2" });
  });

  step("delete removes it, and reading it again names the id", async () => {
    expect(await todo("delete", "--id", ids.doomed)).toEqual({ stdout: `deleted ${ids.doomed}\n`, stderr: "", exitCode: 0 });
    expect(await todo("read", "--id", ids.doomed)).toEqual({ stdout: "", stderr: `todo: no todo with id ${ids.doomed}\n`, exitCode: 1 });
    expect((await todo("delete", "--id", ids.doomed)).stderr).toBe(`todo: no todo with id ${ids.doomed}\n`);
  });

  step("search lists every todo; --pattern filters on title or description", async () => {
    const all = await todo("search");
    expect(all.exitCode).toBe(0);
    const lines = all.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^#\s+ID\s+STATE\s+TITLE\s+DESCRIPTION\s+TAGS\s+REMINDER$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(1))).toEqual([
      [ids.challenge, "DONE", "Read - Challenge - todo", "Read - Should create a micro service with 12factor", "golang,12factor,k8s", "2019-11-06T13:51:01Z"],
      [ids.apps, "NOT_STARTED", "ori", "12factor apps", "job", "2019-11-08T15:51:01Z"],
      [ids.eventstore, "NOT_STARTED", "ori", "12factor eventstore", "job,golang", "2019-11-08T15:51:36Z"],
    ]);
    const matching = await todo("search", "--pattern", ".event.*");
    expect(matching.stdout.trimEnd().split("\n").slice(1).map((l) => l.split(/\s{2,}/)[1])).toEqual([ids.eventstore]);
    const json = (await todo("search", "--tags", "job", "--states", "NOT_STARTED", "--json")).stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(json.map((t) => t.id)).toEqual([ids.apps, ids.eventstore]);
    expect((await todo("search", "--pattern", "nothing-like-this")).stdout).toBe("no todos match\n");
  });

  step("search follows pages and honours --limit", async () => {
    const limited = await todo("search", "--limit", "2", "--json");
    expect(limited.stdout.trimEnd().split("\n")).toHaveLength(2);
    expect((await todo("search", "--order-by", "reminder desc", "--json")).stdout.trimEnd().split("\n").map((l) => JSON.parse(l).id)).toEqual([
      ids.eventstore,
      ids.apps,
      ids.challenge,
    ]);
  });

  step("the data outlives a restart", async () => {
    expect(await daemon.stop()).toBe(0);
    daemon = await startDaemon({ dataDir: daemon.dataDir });
    const r = await todo("read", "--id", ids.eventstore, "--json");
    expect(JSON.parse(r.stdout)).toMatchObject({ id: ids.eventstore, tags: ["job", "golang"], etag: "2" });
    expect((await todo("search", "--json")).stdout.trimEnd().split("\n")).toHaveLength(3);
  });
});

describe("errors a person sees", () => {
  test("bad input is one line naming the field, exit 2, and writes nothing", async () => {
    const before = (await todo("search", "--json")).stdout;
    for (const [args, message] of [
      [["create", "--title", ""], "todo: invalid argument: todo.title: must not be empty\n"],
      [["create", "--title", "x".repeat(201)], "todo: invalid argument: todo.title: must be at most 200 characters, got 201\n"],
      [["create", "--title", "t", "--tags", Array.from({ length: 33 }, (_, i) => `t${i}`).join(",")], "todo: invalid argument: todo.tags: must hold at most 32 tags, got 33\n"],
      [["read", "--id", "nope"], 'todo: "nope" is neither a todo id nor an id prefix (hex digits); for the todos it matches: todo search nope\n'],
      [["search", "--pattern", "("], "todo: invalid argument: pattern: invalid regular expression: "],
      [["create", "--title", "t", "--state", "SOMEDAY"], 'todo: --state: "SOMEDAY" is not one of NOT_STARTED, IN_PROGRESS, DONE\n'],
    ] as [string[], string][]) {
      const r = await todo(...args);
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.startsWith(message)).toBe(true);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
    expect((await todo("search", "--json")).stdout).toBe(before);
  });

  test("a stale etag fails and changes nothing", async () => {
    const id = idOf((await todo("create", "--title", "etag")).stdout);
    await todo("update", "--id", id, "--title", "changed");
    const r = await todo("update", "--id", id, "--title", "lost update", "--etag", "1");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`todo: todo ${id} changed since it was read (etag mismatch): read it again and retry\n`);
    expect(JSON.parse((await todo("read", "--id", id, "--json")).stdout).title).toBe("changed");
  });

  test("an unreachable daemon names the address and the next step", async () => {
    const r = await cli(["read", "--id", "5dc58ee5d954d9bc69be5523"], { TODO_ADDR: "127.0.0.1:1" });
    expect(r).toEqual({ stdout: "", stderr: "todo: cannot reach todod at 127.0.0.1:1 (ECONNREFUSED) — is `todo serve` running?\n", exitCode: 1 });
  });

  test("--version and version print the version and commit; --help works on every command", async () => {
    const version = await cli(["--version"]);
    expect(version.stdout).toMatch(/^todo \d+\.\d+\.\d+ \(commit [0-9a-f]{12}(-dirty)?\)\n$/);
    expect((await cli(["version"])).stdout).toBe(version.stdout);
    for (const command of ["create", "read", "get", "update", "delete", "search", "serve", "version"]) {
      const help = await cli([command, "--help"]);
      expect(help.exitCode).toBe(0);
      expect(help.stdout).toContain(`todo ${command === "get" ? "read" : command}`);
    }
  });
});
