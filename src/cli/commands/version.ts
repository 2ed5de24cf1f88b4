import { defineCommand } from "citty";
import { versionLine } from "../../version";

export default defineCommand({
  meta: { name: "version", description: "Print the version and git commit" },
  run: () => console.log(versionLine()),
});
