import { defineCommand } from "../define-command";
import { existsSync, readFileSync, unlinkSync } from "node:fs";
import { CliError } from "../errors";
import { unixSocketPath } from "../../config/fields";
import { alive, answering, paths, runningDaemon } from "../local-daemon";
import { inert } from "../text";

const status = defineCommand({
  meta: {
    name: "status",
    description: "Whether the local daemon (the one todo starts when no address is configured) runs and answers: its pid, address and log. Exit 1 when it does not run or does not answer.",
  },
  args: {},
  async run() {
    const p = paths();
    const daemon = await runningDaemon(p);
    if (!daemon) {
      console.log(`no local todo daemon runs (the next todo command starts one; state: ${inert(p.dir)})`);
      process.exit(1);
    }
    if (!(await answering(daemon))) {
      console.log(`local todo daemon not answering: pid ${daemon.pid} (stopped or hung), ${inert(daemon.addr)}, log ${inert(daemon.log)}; todo daemon stop stops it`);
      process.exit(1);
    }
    console.log(`local todo daemon running: pid ${daemon.pid}, ${inert(daemon.addr)}, log ${inert(daemon.log)}`);
  },
});

/** How long a daemon that answered may take to drain after SIGTERM (DRAIN_SECONDS and more), and one that did not, before SIGKILL. */
const DRAIN_BOUND_MS = 30_000;
const HUNG_BOUND_MS = 5_000;

/** Waits until the process is gone; false when it still runs after `ms`. */
async function ended(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

const stop = defineCommand({
  meta: {
    name: "stop",
    description: `Stop the local daemon (SIGTERM: calls in flight finish first; one that is stopped is continued, and one that does not end is killed: ${HUNG_BOUND_MS / 1000} s after SIGTERM when it did not answer, ${DRAIN_BOUND_MS / 1000} s when it did); the next todo command starts it again.`,
  },
  args: {},
  async run() {
    const p = paths();
    const daemon = await runningDaemon(p);
    if (!daemon) return console.log("no local todo daemon runs: nothing stopped");
    const answered = await answering(daemon);
    // A stopped process takes SIGTERM once it runs again.
    process.kill(daemon.pid, "SIGTERM");
    process.kill(daemon.pid, "SIGCONT");
    const bound = answered ? DRAIN_BOUND_MS : HUNG_BOUND_MS;
    let killed = false;
    if (!(await ended(daemon.pid, bound))) {
      process.kill(daemon.pid, "SIGKILL");
      killed = true;
      if (!(await ended(daemon.pid, HUNG_BOUND_MS))) throw new CliError(`the local todo daemon (pid ${daemon.pid}) still runs after SIGKILL; see ${p.log}`, "failed");
    }
    // A daemon that was killed leaves its socket behind (the next one would replace it anyway).
    const socket = unixSocketPath(daemon.addr);
    const sockets = [socket, daemon.http].filter((path) => path !== undefined);
    for (const file of [p.state, p.pid, ...(killed ? sockets : [])]) if (existsSync(file)) unlinkSync(file);
    console.log(
      killed
        ? `stopped the local todo daemon (pid ${daemon.pid}) with SIGKILL: it did not end within ${bound / 1000} s of SIGTERM`
        : `stopped the local todo daemon (pid ${daemon.pid})`,
    );
  },
});

const logs = defineCommand({
  meta: { name: "logs", description: "Print the local daemon's log (JSON lines), the last --lines of it." },
  args: { lines: { type: "string", description: "How many lines from the end (default 50; 0: all)", valueHint: "count" } },
  run({ args }) {
    const p = paths();
    const count = args.lines === undefined ? 50 : Number(args.lines);
    if (!Number.isSafeInteger(count) || count < 0) throw new CliError(`--lines ${inert(String(args.lines))} is not a whole number from 0`, "input");
    if (!existsSync(p.log)) return console.log(`no log yet: no local todo daemon has started (${inert(p.log)})`);
    const lines = readFileSync(p.log, "utf8").trimEnd().split("\n");
    process.stdout.write(`${(count === 0 ? lines : lines.slice(-count)).join("\n")}\n`);
  },
});

export default defineCommand({
  meta: { name: "daemon", description: "The local daemon todo starts for you when no address is configured and nothing answers at the default." },
  subCommands: { status, stop, logs },
});
