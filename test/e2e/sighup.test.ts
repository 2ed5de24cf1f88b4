// SIGHUP against the compiled binary: it never stops the daemon (with nothing to reload it says so and
// serves on, writes in flight included), and a token it revokes ends that token's open watches at once
// with UNAUTHENTICATED, while the other callers' watches go on.
import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureBinary } from "../support/binary";
import { cli, type Daemon, hidden, startDaemon } from "../support/daemon";
import { lineReader } from "../support/lines";
import { nodeClient } from "../support/node-client";
import { tempDirs } from "../support/temp";

const tempDir = tempDirs();
const ALICE = `alice-${"a1".repeat(16)}`;
const BOB = `bob-${"b2".repeat(16)}`;

const metrics = async (daemon: Daemon) => await (await fetch(`${daemon.httpUrl}/metrics`)).text();
const counter = async (daemon: Daemon, name: string) => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(await metrics(daemon))?.[1] ?? 0);

async function until(what: string, check: () => Promise<boolean> | boolean, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${withinMs} ms for ${what}`);
    await Bun.sleep(20);
  }
}

test("SIGHUP with no token file and no TLS: todod says there was nothing to reload and serves on, every write in flight answered", async () => {
  const daemon = await startDaemon();
  try {
    // 16 loops of creates and updates for 8 s; SIGHUP three times while they run.
    const writing = nodeClient(["writes", daemon.addr, "16", "8"], 60);
    await until("the first 100 writes", async () => (await counter(daemon, "todo_events_appended_total")) >= 100);
    // Each SIGHUP waits for the line of the one before: two pending SIGHUPs are one (the kernel keeps a
    // standard signal pending once), which a busy daemon showed as 2 lines for 3 signals 300 ms apart.
    const hangups = () => daemon.logs().filter((l) => l.msg === "SIGHUP: nothing to reload (no TODO_AUTH_TOKENS_FILE, no TLS); todod serves on");
    for (let i = 0; i < 3 && daemon.process.exitCode === null && daemon.process.signalCode === null; i++) {
      process.kill(daemon.pid, "SIGHUP");
      await until(`the log line of SIGHUP ${i + 1}`, () => hangups().length > i || daemon.process.exitCode !== null || daemon.process.signalCode !== null);
    }
    const { acknowledged, failures } = (await writing) as { acknowledged: unknown[]; failures: number };
    console.log(`SIGHUP x3 during writes: ${acknowledged.length} acknowledged, ${failures} failed`);
    expect({ exitCode: daemon.process.exitCode, signal: daemon.process.signalCode }).toEqual({ exitCode: null, signal: null });
    expect(failures).toBe(0);
    expect(acknowledged.length).toBeGreaterThan(100);
    expect(hangups()).toHaveLength(3);
    expect(await cli(["add", "after the hangups", "--addr", daemon.addr])).toMatchObject({ exitCode: 0 });
    // It still drains and stops as asked.
    expect(await daemon.stop("SIGTERM")).toBe(0);
  } finally {
    await daemon.stop("SIGKILL");
  }
}, 120_000);

test("a token revoked by SIGHUP ends its open watches at once with UNAUTHENTICATED; another token's watch goes on", async () => {
  const tokenFile = join(tempDir("sighup"), "tokens");
  writeFileSync(tokenFile, `alice:${ALICE}\nbob:${BOB}\n`);
  const daemon = await startDaemon({ env: { TODO_AUTH_TOKENS_FILE: tokenFile } });
  const binary = await ensureBinary();
  const watch = (token: string) => Bun.spawn(hidden([binary, "watch", "--addr", daemon.addr]), { env: { PATH: process.env.PATH!, HOME: process.env.HOME!, TODO_TOKEN: token }, stdout: "pipe", stderr: "pipe" });
  const alice = watch(ALICE);
  const bob = watch(BOB);
  try {
    const [aliceOut, bobOut] = [lineReader(alice.stdout), lineReader(bob.stdout)];
    await until("both watches open", async () => /^todo_watchers 2$/m.test(await metrics(daemon)));
    expect((await cli(["add", "before the revocation", "--addr", daemon.addr], { TODO_TOKEN: BOB })).exitCode).toBe(0);
    await aliceOut.atLeast(1, "alice's watch: the event before the revocation");
    await bobOut.atLeast(1, "bob's watch: the event before the revocation");

    writeFileSync(tokenFile, `bob:${BOB}\n`);
    process.kill(daemon.pid, "SIGHUP");
    // Alice's watch ends by itself: the daemon ended it, naming why.
    const exitCode = await Promise.race([alice.exited, Bun.sleep(15_000).then(() => "still running")]);
    alice.kill("SIGKILL");
    const aliceErr = await new Response(alice.stderr).text();
    expect(exitCode).not.toBe("still running");
    expect(exitCode).not.toBe(0);
    expect(aliceErr).toContain("the token this call was made with was revoked");
    expect(daemon.logs()).toContainEqual(expect.objectContaining({ msg: "tokens reloaded", tokens: 1, revoked: 1, streamsEnded: 1 }));

    for (let i = 0; i < 5; i++) expect((await cli(["add", `after the revocation ${i}`, "--addr", daemon.addr], { TODO_TOKEN: BOB })).exitCode).toBe(0);
    await bobOut.atLeast(6, "bob's watch: the 5 events after the revocation");
    expect(aliceOut.seen).toHaveLength(1);
    expect(bob.exitCode).toBeNull();
    // The revoked token opens nothing new.
    const again = await cli(["watch", "--addr", daemon.addr], { TODO_TOKEN: ALICE });
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toContain("the token is not valid");
  } finally {
    alice.kill("SIGKILL");
    bob.kill("SIGKILL");
    await daemon.stop("SIGKILL");
  }
}, 120_000);
