import pkg from "../package.json";

declare const TODO_BUILD_COMMIT: string | undefined;

/** The version from package.json; the commit is stamped by scripts/build.ts (from source: "dev"). */
export const VERSION = {
  version: pkg.version,
  commit: typeof TODO_BUILD_COMMIT === "string" ? TODO_BUILD_COMMIT : "dev",
};

export function versionLine(): string {
  return `todo ${VERSION.version} (commit ${VERSION.commit})`;
}
