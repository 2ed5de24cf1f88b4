// What stdout is: a terminal of some width that may show colour, or a pipe or file that gets everything
// uncut and uncoloured.
import { envValue } from "../config/environment";

/**
 * node:fs, loaded on the first write or look at stdout: loading it is about a millisecond, a fifth of a
 * compiled hello-world, which `todo --version` and `todo add` (console.log) need not pay.
 */
const fs = () => require("node:fs") as typeof import("node:fs");

/**
 * Whether stdout is a terminal. A pipe or a file is told apart with fstat first: building
 * process.stdout (for isTTY) loads Bun's stream machinery, which alone would cost `todo --help` into a
 * pipe more than the rest of its work.
 */
function stdoutIsTerminal(): boolean {
  try {
    if (!fs().fstatSync(1).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return Boolean(process.stdout.isTTY);
}

/**
 * Writes a line to stderr as it is. (Bun's console.error paints it red on a terminal, whatever
 * --color says; and a synchronous write is never lost to the process.exit that may follow.)
 */
export function writeStderr(line: string) {
  fs().writeSync(2, `${line}\n`);
}

/** stdout's reader has gone (`todo ls | head`): nothing more can be shown, and the command stops quietly. */
export class StdoutClosed extends Error {
  constructor() {
    super("stdout was closed");
  }
}

/** One moment's sleep that blocks: stdout made non-blocking by someone else is full. */
const nap = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Writes to stdout as it is, and returns once it is written: a pipe that is full holds the command
 * (so what waits to be printed never piles up in memory). Throws StdoutClosed when the reader has gone.
 */
export function writeStdout(text: string) {
  const bytes = Buffer.from(text);
  for (let done = 0; done < bytes.length; ) {
    try {
      done += fs().writeSync(1, bytes, done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EPIPE") throw new StdoutClosed();
      if (code !== "EAGAIN") throw e;
      nap(1);
    }
  }
}

/** Columns to fit output in: COLUMNS, else the terminal's width; undefined when stdout is not a terminal (nothing is cut). */
export function terminalWidth(): number | undefined {
  if (!stdoutIsTerminal()) return undefined;
  const columns = Number(envValue("COLUMNS"));
  if (Number.isInteger(columns) && columns > 0) return columns;
  return process.stdout.columns || 80;
}

export const COLOR_MODES = ["auto", "always", "never"] as const;

/**
 * Whether to colour stdout: --color=always or never decides; auto (the default) colours a terminal
 * unless NO_COLOR is set to anything (no-color.org) or TERM is dumb.
 */
export function colorEnabled(mode: string | undefined): boolean {
  if (mode === "always") return true;
  if (mode === "never") return false;
  if (envValue("NO_COLOR") !== undefined) return false;
  if (envValue("TERM") === "dumb") return false;
  return stdoutIsTerminal();
}

const STYLES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;
export type Style = keyof typeof STYLES;

/** A painter: `paint("red", text)` wraps text in SGR codes when colour is on, and returns it as is when off. */
export function painter(on: boolean) {
  return (style: Style | undefined, text: string) => {
    if (!on || !style || !text) return text;
    const [set, reset] = STYLES[style];
    return `\x1b[${set}m${text}\x1b[${reset}m`;
  };
}
export type Paint = ReturnType<typeof painter>;
