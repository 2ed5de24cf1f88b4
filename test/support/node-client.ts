// Runs a scenario of test/e2e/node-client.mjs (grpc-js under Node.js) and returns its JSON result.
import { join } from "node:path";

const SCRIPT = join(import.meta.dir, "../e2e/node-client.mjs");

/** Runs `node node-client.mjs <args>`; `seconds` bounds a client that hangs despite its deadlines. */
export async function nodeClient(args: string[], seconds: number): Promise<Record<string, any>> {
  const node = Bun.which("node");
  if (!node) throw new Error("Node.js is required: these scenarios must not run on Bun's own grpc-js client");
  const proc = Bun.spawn([node, SCRIPT, ...args], { stdout: "pipe", stderr: "pipe" });
  const guard = setTimeout(() => proc.kill("SIGKILL"), seconds * 1000);
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(guard);
  if (exitCode !== 0 || stderr) throw new Error(`node-client.mjs ${args[0]} exited ${exitCode}:\n${stderr}${stdout}`);
  return JSON.parse(stdout);
}
