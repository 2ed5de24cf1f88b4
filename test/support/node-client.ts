// Runs a client script of test/e2e/ under Node.js (grpc-js under Node, never Bun's own client) and
// returns the JSON line it prints: node-client.mjs's scenarios, long-watch.mjs, ...
import { join } from "node:path";

/** Runs `node test/e2e/<script> <args>`; `seconds` bounds a client that hangs despite its deadlines. */
export async function nodeScript(script: string, args: string[], seconds: number): Promise<Record<string, any>> {
  const node = Bun.which("node");
  if (!node) throw new Error("Node.js is required: these scenarios must not run on Bun's own grpc-js client");
  const proc = Bun.spawn([node, join(import.meta.dir, "../e2e", script), ...args], { stdout: "pipe", stderr: "pipe" });
  const guard = setTimeout(() => proc.kill("SIGKILL"), seconds * 1000);
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(guard);
  if (exitCode !== 0 || stderr) throw new Error(`${script} ${args[0]} exited ${exitCode}:\n${stderr}${stdout}`);
  return JSON.parse(stdout);
}

/** Runs a scenario of test/e2e/node-client.mjs. */
export const nodeClient = (args: string[], seconds: number) => nodeScript("node-client.mjs", args, seconds);
