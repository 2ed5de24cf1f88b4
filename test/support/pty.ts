// Runs the CLI on a pseudo-terminal of a given size, as a person's terminal runs it: util-linux `script`
// gives it a tty, and `stty` sets the size the binary reads from it.
import { ensureBinary } from "./binary";
import { hidden } from "./daemon";

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

export interface Screen {
  /** What the terminal received, with the tty's \r\n turned into \n. */
  text: string;
  exitCode: number;
}

/** `todo <args>` on a `columns`-wide pseudo-terminal; `input` is typed into it (then end of file). */
export async function onTerminal(args: string[], options: { columns: number; env?: Record<string, string>; input?: string }): Promise<Screen> {
  const binary = await ensureBinary();
  const command = `stty cols ${options.columns} rows 50 -echo; exec ${[binary, ...args].map(quote).join(" ")}`;
  const proc = Bun.spawn(hidden(["script", "-qefc", command, "/dev/null"]), {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, TERM: "xterm-256color", ...options.env },
    stdin: options.input === undefined ? "ignore" : new Blob([options.input]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, exitCode] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  return { text: stdout.replace(/\r\n/g, "\n"), exitCode };
}

/** The text without our colour codes (SGR sequences), as its width on screen is measured. */
export const withoutColour = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");
