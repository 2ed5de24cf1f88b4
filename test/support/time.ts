// Deadlines that stand for "promptly" (an answer within 100 ms while a search runs, a failure within
// 500 ms of a timer) are met by the program on an idle machine; on a busy one every process gets a
// share of a core and is late by as much. They are multiplied by how busy the machine is, so that a test
// still catches what it is about (a stall of seconds, a timer that never fires) wherever it runs.
import { availableParallelism, loadavg } from "node:os";

/**
 * Runnable processes per core right now (the 1-minute load average over the core count), at least 1;
 * or TEST_TIME_SCALE, when set, if that is larger (a machine slow for another reason: emulation, …).
 */
export function timeScale(): number {
  const busy = loadavg()[0]! / availableParallelism();
  const given = Number(process.env.TEST_TIME_SCALE) || 1;
  return Math.max(1, busy, given);
}

/** `ms` on an idle machine, scaled by how busy this one is now (see timeScale). */
export function scaled(ms: number): number {
  return Math.round(ms * timeScale());
}
