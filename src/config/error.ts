/** How `todo` exits when it fails: 2 when the input (a flag, a setting, a request's field) was the mistake, else 1. */
export const ExitCode = { FAILED: 1, BAD_INPUT: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A setting's value refused, or settings that cannot work together: one line naming where it was set, exit 2 in the CLI. */
export class ConfigError extends Error {
  readonly exitCode: ExitCode = ExitCode.BAD_INPUT;
}
