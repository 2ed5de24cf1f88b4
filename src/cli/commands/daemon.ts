import { defineCommand } from "citty";
import { existsSync, readFileSync, unlinkSync } from "node:fs";
import { CliError } from "../errors";
import { alive, paths, runningDaemon } from "../local-daemon";
import { inert } from "../text";

const status = defineCommand({
  meta: { name: "status", description: "Whether the local daemon (the one todo starts when no address is configured) runs: its pid, address and log. Exit 1 when it does not run." },
  args: {},
  run() {
    const p = paths();
    const daemon = runningDaemon(p);
    if (!daemon) {
      console.log(`no local todo daemon runs (the next todo command starts one; state: ${inert(p.dir)})`);
      process.exit(1);
    }
    console.log(`local todo daemon running: pid ${daemon.pid}, ${daemon.addr}, log ${inert(daemon.log)}`);
  },
});

const stop = defineCommand({
  meta: { name: "stop", description: "Stop the local daemon (SIGTERM: calls in flight finish first); the next todo command starts it again." },
  args: {},
  async run() {
    const p = paths();
    const daemon = runningDaemon(p);
    if (!daemon) return console.log("no local todo daemon runs: nothing stopped");
    process.kill(daemon.pid, "SIGTERM");
    const until = Date.now() + 30_000;
    while (alive(daemon.pid)) {
      if (Date.now() > until) throw new CliError(`the local todo daemon (pid ${daemon.pid}) still runs 30 s after SIGTERM; see ${p.log}, or kill -9 ${daemon.pid}`, "failed");
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const file of [p.state, p.pid]) if (existsSync(file)) unlinkSync(file);
    console.log(`stopped the local todo daemon (pid ${daemon.pid})`);
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
