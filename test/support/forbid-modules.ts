// Preload for test/lazy-loading.test.ts: any module whose path matches $TODO_FORBIDDEN_MODULES fails to
// load, so a command that imports it exits non-zero naming it.
import { plugin } from "bun";

const forbidden = new RegExp(process.env.TODO_FORBIDDEN_MODULES!);
plugin({
  name: "forbid-modules",
  setup(build) {
    build.onLoad({ filter: forbidden }, (args) => {
      throw new Error(`loaded ${args.path}`);
    });
  },
});
