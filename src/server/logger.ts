// Logs as one JSON object per line on stdout (12-factor), or consola's readable output on a terminal
// or with LOG_FORMAT=pretty.
import { type ConsolaInstance, type ConsolaReporter, createConsola, LogLevels, type LogType } from "consola";

import type { LogFormat, LogLevel } from "../config/fields";

const jsonReporter: ConsolaReporter = {
  log(entry) {
    const [message, ...rest] = entry.args;
    const fields = Object.assign({}, ...rest.filter((a) => a && typeof a === "object" && !(a instanceof Error)));
    const error = entry.args.find((a) => a instanceof Error) as Error | undefined;
    const line = {
      time: entry.date.toISOString(),
      level: entry.type,
      msg: message instanceof Error ? message.message : String(message),
      ...fields,
      ...(error ? { error: error.message, stack: error.stack } : {}),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  },
};

export function createLogger(level: LogLevel, format: LogFormat): ConsolaInstance {
  return createConsola({
    level: LogLevels[level as LogType],
    ...(format === "json" ? { reporters: [jsonReporter] } : { fancy: true, formatOptions: { date: true } }),
  });
}

export type Logger = ConsolaInstance;
