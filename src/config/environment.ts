// The one place in src/ that reads process.env (test/config-module.test.ts fails if another does): every
// setting comes through a table of this folder, and the few variables that are not settings (the
// terminal's, the XDG directories) through here, so what the processes read is declared in one place.

export type Environment = Readonly<Record<string, string | undefined>>;

/** The process's environment. */
export function processEnvironment(): Environment {
  return process.env;
}

/** A variable's value; set but empty counts as unset, as for every setting. */
export function envValue(name: string, env: Environment = process.env): string | undefined {
  const value = env[name];
  return value === "" ? undefined : value;
}
