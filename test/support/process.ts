import { readdirSync, readFileSync } from "node:fs";
import type { Subprocess } from "bun";

/** Sends `signal` to `child` if it still runs, SIGKILL if it has not exited `killAfterMs` later, and waits for its exit. */
export async function stopProcess(child: Subprocess, signal: NodeJS.Signals, killAfterMs: number): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, signal);
  const killer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  await child.exited;
  clearTimeout(killer);
}

/** The pid of the `todo serve` process itself (the harness may run it under unshare and sh, which exec it in a child). */
export function servePid(pid: number): number {
  for (let current = pid, depth = 0; depth < 4; depth++) {
    const exe = readFileSync(`/proc/${current}/cmdline`, "utf8");
    if (exe.includes("serve") && !exe.startsWith("unshare") && !exe.startsWith("sh")) return current;
    const children = readFileSync(`/proc/${current}/task/${current}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    if (children.length === 0) return current;
    current = Number(children[0]);
  }
  return pid;
}

/** A process's resident memory now, in bytes (VmRSS from /proc). */
export const rssBytes = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;

/** The file descriptors a process holds now. */
export const descriptors = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** A process's CPU time so far, in seconds (user + system, from /proc). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
