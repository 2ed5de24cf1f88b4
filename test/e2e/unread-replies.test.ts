// Replies a client never reads cannot pile up in the daemon: 250 v1.ToDoService/Search calls of ~3 MB
// each, on one connection, none read. Beyond the connection's budget the calls fail RESOURCE_EXHAUSTED;
// the daemon's RSS stays bounded, and another client is served meanwhile.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPLY_BUDGET } from "../../src/api/grpc/reply-budget";
import { servePid } from "../support/process";
import { cli, startDaemon } from "../support/daemon";
import { seededDataDir } from "../support/seed";

const CALLS = 250;
const MiB = 1024 * 1024;

const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;


test(`${CALLS} unread ~3 MB replies on one connection: memory bounded, the rest refused, others served`, async () => {
  // 300 todos of 10,000 characters: each Search reply is about 3 MB.
  const dataDir = await seededDataDir(300, (i) => ({ title: `big ${i}`, description: "d".repeat(10_000) }));
  const daemon = await startDaemon({ dataDir });
  try {
    const pid = servePid(daemon.pid);
    const before = rss(pid);
    const node = Bun.which("node")!;
    const attack = Bun.spawn([node, join(import.meta.dir, "unread-replies.mjs"), daemon.addr, String(CALLS), "20"], { stdout: "pipe", stderr: "pipe" });
    await Bun.sleep(12_000);
    const during = rss(pid);
    // Another client, on its own connection, while the daemon works through the 250 searches.
    const served = await cli(["search", "big 299", "--addr", daemon.addr, "--timeout", "60"]);
    const [out, err] = [await new Response(attack.stdout).text(), await new Response(attack.stderr).text()];
    expect(err).toBe("");
    const result = JSON.parse(out);
    console.log(`${CALLS} unread Search replies: ${JSON.stringify(result)}; RSS ${Math.round(before / MiB)} -> ${Math.round(during / MiB)} MiB`);
    expect(served.stderr).toBe("");
    expect(served.exitCode).toBe(0);
    expect(served.stdout).toContain("big 299");
    // About 64 MiB / 3 MB replies are held; the rest are refused, naming why.
    // About 64 MiB / 3 MB replies are begun and held; the rest fail RESOURCE_EXHAUSTED, naming why.
    expect(result.replying).toBeLessThanOrEqual(Math.ceil(REPLY_BUDGET.connectionBytes / (3 * 1_000_000)) + 1);
    expect(result.refused["8"]).toBeGreaterThan(0);
    expect(result.example).toContain("of replies not yet read by their clients");
    // The replies held, plus the garbage of the refused ones (each was built before it was refused).
    expect(during - before).toBeLessThan(REPLY_BUDGET.totalBytes + 64 * MiB);
  } finally {
    await daemon.stop();
  }
}, 120_000);
