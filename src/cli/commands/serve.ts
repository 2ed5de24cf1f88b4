import { defineCommand } from "../define-command";
import { processEnvironment } from "../../config/environment";
import { resolveConfig, SERVE_SETTINGS, serveArguments } from "../../config/serve";
import type { Setting } from "../../config/table";
import { settingArgs } from "../setting-args";

/** The arguments after `serve`, Go-style flags (-grpc-port=9) as the command-line parser reads them. */
export const serveArgs = serveArguments;

const secrets = Object.values(SERVE_SETTINGS as Record<string, Setting>).filter((s) => s.secret);

export default defineCommand({
  meta: {
    name: "serve",
    description: `Run the daemon (todod): gRPC, metrics and health.\n\nSecrets have no flag, as every user of the machine can read a command line (ps): ${secrets
      .map((s) => `${s.env}: ${s.description}`)
      .join("; ")}. Prefer MONGO_URL to --mongo-url when the URL holds a password.`,
  },
  args: settingArgs(SERVE_SETTINGS),
  async run({ args: flags }) {
    // A mistake is a ConfigError: one line, exit 2.
    const config = resolveConfig(flags, processEnvironment(), Boolean(process.stdout.isTTY));
    const { serve } = await import("../../server/daemon");
    await serve(config);
    // Drained and closed: exit now rather than wait for timers of libraries to run out.
    process.exit(0);
  },
});
