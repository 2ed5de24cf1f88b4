import { type ArgsDef, defineCommand } from "citty";
import { ConfigError, resolveConfig, serveArguments, SETTINGS, type SettingName } from "../../server/config";
import { CliError } from "../errors";

// One flag per setting but secrets (environment only); no citty defaults, so an unset flag falls back to
// the environment.
const args = Object.fromEntries(
  Object.entries(SETTINGS)
    .filter(([, s]) => !("secret" in s))
    .map(([name, s]) => [name, { type: "string", description: `${s.description} (env ${s.env}, default ${s.default || "unset"})` }]),
) as Record<SettingName, { type: "string"; description: string }> satisfies ArgsDef;

/** The arguments after `serve`, Go-style flags (-grpc-port=9) as the command-line parser reads them. */
export function serveArgs(rawArgs: readonly string[]): string[] {
  try {
    return serveArguments(rawArgs);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message, 2);
    throw e;
  }
}

export default defineCommand({
  meta: {
    name: "serve",
    description: `Run the daemon (todod): gRPC, metrics and health.\n\nSecrets have no flag, as every user of the machine can read a command line (ps): ${Object.values(SETTINGS)
      .filter((s) => "secret" in s)
      .map((s) => `${s.env}: ${s.description}`)
      .join("; ")}. Prefer MONGO_URL to --mongo-url when the URL holds a password.`,
  },
  args,
  async run({ args: flags }) {
    let config;
    try {
      config = resolveConfig(flags, process.env, Boolean(process.stdout.isTTY));
    } catch (e) {
      if (e instanceof ConfigError) throw new CliError(e.message, 2);
      throw e;
    }
    const { serve } = await import("../../server/daemon");
    await serve(config);
    // Drained and closed: exit now rather than wait for timers of libraries to run out.
    process.exit(0);
  },
});
