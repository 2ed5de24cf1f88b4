import { defineCommand } from "../define-command";
import { connectionArgs, jsonArg } from "../args";
import { CLIENT_SETTINGS } from "../../config/client";
import { resolveConnection, SETTING_NAMES } from "../settings";
import { inert } from "../text";

const show = defineCommand({
  meta: {
    name: "show",
    description:
      `Print the client's settings in effect and where each comes from (never the token itself): a flag beats the environment (${Object.values(CLIENT_SETTINGS)
        .map((s) => s.env)
        .join(", ")}), which beats the config file, which beats the default.\n\n` +
      "The config file is $XDG_CONFIG_HOME/todo/config.toml (else ~/.config/todo/config.toml), e.g.:\n  addr = \"todo.example.com:443\"\n  tls = true\n  ca = \"ca.pem\"    # relative to the config file\n  token-file = \"token\"\n  timeout = 30",
  },
  args: { ...connectionArgs, ...jsonArg },
  async run({ args }) {
    const { connection, sources, file, fileExists, tokenFile } = await resolveConnection(args);
    // The token itself is never printed: only whether there is one, and where it came from.
    const values: Record<(typeof SETTING_NAMES)[number], unknown> = {
      addr: connection.addr,
      timeout: connection.timeout,
      tls: connection.tls,
      ca: connection.ca,
      token: connection.token === undefined ? undefined : "(hidden)",
      "token-file": tokenFile,
      cert: connection.cert,
      key: connection.key,
    };
    if (args.json) {
      const settings = Object.fromEntries(SETTING_NAMES.map((name) => [name, { value: values[name] ?? null, source: sources[name] }]));
      return console.log(JSON.stringify({ ...settings, configFile: file, configFileExists: fileExists }));
    }
    const shown = SETTING_NAMES.map((name) => [name, inert(String(values[name] ?? "-")), sources[name]] as const);
    const width = Math.max(...shown.map(([, value]) => value.length));
    const nameWidth = Math.max(...SETTING_NAMES.map((name) => name.length));
    for (const [name, value, source] of shown) console.log(`${name.padEnd(nameWidth)} ${value.padEnd(width)}  (${inert(source)})`);
    console.log(`config file: ${inert(file)}${fileExists ? "" : " (none)"}`);
  },
});

export default defineCommand({
  meta: { name: "config", description: "The client's settings: where the daemon is and how to reach it." },
  subCommands: { show },
});
