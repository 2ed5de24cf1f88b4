// Hand-written protobuf bytes and test/e2e/raw-client.mjs (Node.js http2) to send them: requests no
// generated client would write.
import { join } from "node:path";

const SCRIPT = join(import.meta.dir, "../e2e/raw-client.mjs");

function varint(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

/** A length-delimited field (string, bytes or message) number `n` holding `value`. */
export function field(n: number, value: Buffer | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value) : value;
  return Buffer.concat([varint((n << 3) | 2), varint(bytes.length), bytes]);
}

export interface RawRequest {
  path: string;
  body: Buffer;
  /** The message's compressed flag (0 or 1). */
  flag?: number;
  /** grpc-encoding. */
  encoding?: string;
}

export interface RawAnswer {
  status: number | "no answer" | "stream error";
  message: string;
  messageLength: number;
  ms: number;
}

/** Sends every request at once on one connection; each answer, or "no answer" by the deadline. */
export async function rawCalls(addr: string, requests: RawRequest[], seconds: number): Promise<RawAnswer[]> {
  const node = Bun.which("node");
  if (!node) throw new Error("Node.js is required for the raw HTTP/2 client");
  const input = JSON.stringify(requests.map((r) => ({ ...r, body: r.body.toString("hex") })));
  const proc = Bun.spawn([node, SCRIPT, addr, String(seconds)], { stdin: new Blob([input]), stdout: "pipe", stderr: "pipe" });
  const guard = setTimeout(() => proc.kill("SIGKILL"), (seconds + 30) * 1000);
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(guard);
  if (exitCode !== 0 || stderr) throw new Error(`raw-client.mjs exited ${exitCode}:\n${stderr}${stdout}`);
  return JSON.parse(stdout);
}
