import type { Subprocess } from "bun";

/** Sends `signal` to `child` if it still runs, SIGKILL if it has not exited `killAfterMs` later, and waits for its exit. */
export async function stopProcess(child: Subprocess, signal: NodeJS.Signals, killAfterMs: number): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, signal);
  const killer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  await child.exited;
  clearTimeout(killer);
}
