// Reads a process's output line by line as it comes, so a test can wait for the n-th line and know
// when each arrived.
export function lineReader(stream: ReadableStream<Uint8Array>) {
  const seen: string[] = [];
  /** When each line arrived (Date.now()). */
  const at: number[] = [];
  let buffer = "";
  void (async () => {
    for await (const chunk of stream) {
      buffer += new TextDecoder().decode(chunk);
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        seen.push(buffer.slice(0, nl));
        at.push(Date.now());
        buffer = buffer.slice(nl + 1);
      }
    }
  })();
  return {
    seen,
    at,
    /** Resolves with the lines once there are `n`; fails naming `what` after `withinMs`. */
    async atLeast(n: number, what: string, withinMs = 30_000) {
      const until = Date.now() + withinMs;
      while (seen.length < n) {
        if (Date.now() > until) throw new Error(`waited for ${what}: ${seen.length} of ${n} lines:\n${seen.join("\n")}`);
        await Bun.sleep(5);
      }
      return seen;
    },
  };
}
