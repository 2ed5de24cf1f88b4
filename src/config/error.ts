/** A setting's value refused, or settings that cannot work together: one line naming where it was set, exit 2 in the CLI. */
export class ConfigError extends Error {
  readonly exitCode = 2;
}
