import { defineCommand } from "../define-command";
import { VERSION, versionLine } from "../../version";
import { connectionArgs, jsonArg } from "../args";
import { withClient } from "../client";
import { CliError } from "../errors";
import { writeStderr } from "../terminal";
import { inert } from "../text";

export default defineCommand({
  meta: {
    name: "version",
    description: "Print this client's version and git commit, then the daemon's when one answers (todo --version: the client's only, without asking).",
  },
  args: { ...connectionArgs, ...jsonArg },
  run: ({ args }) =>
    withClient(args, async (client) => {
      // The client's version is known whatever the daemon does; that the daemon's is not is a note, not a failure.
      const daemon = await client.serverInfo().catch((e: unknown) => {
        if (e instanceof CliError) return e;
        throw e;
      });
      if (args.json) {
        const todod = daemon instanceof CliError ? null : { version: daemon.version, commit: daemon.commit, addr: client.options.addr };
        return console.log(JSON.stringify({ todo: { version: VERSION.version, commit: VERSION.commit }, todod }));
      }
      console.log(versionLine());
      if (daemon instanceof CliError) writeStderr(`todo: ${inert(daemon.message)}`);
      else console.log(inert(`todod ${daemon.version} (commit ${daemon.commit}) at ${client.options.addr}`));
    }, { startLocal: false }),
});
