// A watch after a position beyond the log's head would skip, silently, every event until the log got
// there: it is refused OUT_OF_RANGE (gRPC's code for reading past the current end), naming the head.
import { expect, test } from "bun:test";
import { ensureBinary } from "../support/binary";
import { cli, hidden, startDaemon } from "../support/daemon";
import { lineReader } from "../support/lines";

test("todo watch --from beyond the head is refused OUT_OF_RANGE naming the head (exit 2, the input's mistake); --from the head itself watches", async () => {
  const daemon = await startDaemon();
  const binary = await ensureBinary();
  const watch = (from: string) => Bun.spawn(hidden([binary, "watch", "--from", from, "--addr", daemon.addr]), { stdout: "pipe", stderr: "pipe" });
  const watches: ReturnType<typeof watch>[] = [];
  try {
    for (const title of ["one", "two"]) expect((await cli(["add", title, "--addr", daemon.addr])).exitCode).toBe(0);
    for (const from of ["3", "9007199254740991"]) {
      const beyond = watch(from);
      watches.push(beyond);
      const ended = await Promise.race([beyond.exited, Bun.sleep(15_000).then(() => "still watching")]);
      beyond.kill("SIGKILL");
      expect([ended, await new Response(beyond.stderr).text()]).toEqual([
        2,
        `todo: out of range: after_position: ${from} is beyond the log's head, position 2; watch after a position from 0 to 2, or from now\n`,
      ]);
    }
    // From the head itself is no mistake: it prints what comes next.
    const atHead = watch("2");
    watches.push(atHead);
    const next = lineReader(atHead.stdout);
    expect((await cli(["add", "three", "--addr", daemon.addr])).exitCode).toBe(0);
    expect((await next.atLeast(1, "the event after the head"))[0]).toMatch(/^3 .*created .* three$/);
  } finally {
    for (const w of watches) w.kill("SIGKILL");
    await daemon.stop("SIGKILL");
  }
}, 60_000);
