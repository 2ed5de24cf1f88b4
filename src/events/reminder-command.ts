// Hands each reminder this daemon fires to a person: a program the user configures
// (TODO_REMINDER_COMMAND), or the desktop's notifier (`desktop`: notify-send, else osascript on macOS).
// The program is started directly, never through a shell: a title is data, so it travels as an argument
// and in the environment, where no character of it can be read as a command.
import { spawn } from "node:child_process";
import type { Environment } from "../config/environment";
import type { Change } from "../todos/ports";

/** Variables the program must not see: the daemon's own secrets. */
const SECRETS = ["TODO_AUTH_TOKENS", "MONGO_URL", "EVENTS_URL"];

/** The argv that shows a reminder on this desktop, or undefined when there is no notifier here. */
function desktopCommand(title: string, body: string, which: (name: string) => string | null): string[] | undefined {
  const notifySend = which("notify-send");
  if (notifySend) return [notifySend, "--app-name=todo", title, ...(body ? [body] : [])];
  const osascript = which("osascript");
  // The text comes in as the script's arguments (argv), not spliced into the script.
  if (osascript) return [osascript, "-e", "on run argv\ndisplay notification (item 2 of argv) with title (item 1 of argv)\nend run", title, body];
  return undefined;
}

/**
 * A consumer of fired reminders that runs `command` for each (`desktop`: the desktop's notifier), not
 * waiting for it; a program that cannot start or fails is logged, and the daemon goes on.
 */
export function reminderCommand(
  command: string,
  env: Environment,
  warn: (message: string) => void,
  which: (name: string) => string | null = (name) => Bun.which(name),
): (change: Change) => void {
  let warnedNoDesktop = false;
  return (change) => {
    const { todo } = change;
    const reminder = new Date(change.reminder ?? todo.reminder ?? change.time).toISOString();
    const argv = command === "desktop" ? desktopCommand(todo.title, todo.description || `due ${reminder}`, which) : [command, todo.title];
    if (!argv) {
      if (!warnedNoDesktop) warn("TODO_REMINDER_COMMAND=desktop: neither notify-send nor osascript is on PATH; reminders are not shown");
      warnedNoDesktop = true;
      return;
    }
    const childEnv: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) if (value !== undefined && !SECRETS.includes(name)) childEnv[name] = value;
    Object.assign(childEnv, { TODO_ID: todo.id, TODO_TITLE: todo.title, TODO_DESCRIPTION: todo.description, TODO_TAGS: todo.tags.join(","), TODO_REMINDER: reminder });
    try {
      const child = spawn(argv[0]!, argv.slice(1), { env: childEnv, stdio: "ignore" });
      child.once("error", (e) => warn(`the reminder command ${argv[0]} could not run for ${todo.id}: ${e.message}`));
      child.once("exit", (code, signal) => {
        if (code !== 0) warn(`the reminder command ${argv[0]} failed for ${todo.id} (${signal ?? `exit ${code}`})`);
      });
    } catch (e) {
      warn(`the reminder command ${argv[0]} could not run for ${todo.id}: ${(e as Error).message}`);
    }
  };
}
