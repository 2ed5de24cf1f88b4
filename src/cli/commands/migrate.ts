import { defineCommand } from "../define-command";
import { MIGRATE_SETTINGS, resolveMigrateConfig } from "../../config/admin";
import { processEnvironment } from "../../config/environment";
import { CliError } from "../errors";
import { settingArgs } from "../setting-args";
import { inert, thousands } from "../text";

const args = settingArgs(MIGRATE_SETTINGS);

const n = thousands;
const count = (count: number, what: string) => `${n(count)} ${what}${count === 1 ? "" : "s"}`;

export default defineCommand({
  meta: {
    name: "migrate",
    description: "Copy the original todod's todos (MongoDB challenge.todo) into todo serve's collection, ids kept; the original's collection is only read",
  },
  args,
  // A mistyped flag is refused before this runs (the command line is strict): `--dryrun` must not write.
  async run({ args: flags }) {
    // Checked before the MongoDB driver is loaded; a mistake is a ConfigError (exit 2).
    const { url, database, from, dryRun } = resolveMigrateConfig(flags, processEnvironment());
    const { migrateOriginal, MigrationError } = await import("../../store/mongo");
    const started = performance.now();
    let report;
    try {
      report = await migrateOriginal({
        url,
        database,
        from,
        dryRun,
        // A document's _id and fields are the original's data: any string, printed inert.
        onNote: ({ id, message }) => console.log(inert(`${id}: ${message}`)),
      });
    } catch (e) {
      if (e instanceof MigrationError) throw new CliError(e.message, e.badInput ? "input" : "failed");
      throw e;
    }
    for (const id of report.gone)
      console.log(inert(`${id}: copied earlier, but no longer in ${report.from} (deleted through the original since?); if it should go: todo delete --id ${id}`));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const total = report.created + report.updated + report.unchanged + report.skipped;
    console.log(
      inert(`${dryRun ? "dry run, nothing written: " : ""}${count(total, "todo")} in ${report.from} → ${report.to}: ` +
        `${n(report.created)} created, ${n(report.updated)} updated, ${n(report.unchanged)} unchanged, ${n(report.skipped)} skipped` +
        `${report.gone.length ? `; ${report.gone.length} gone from ${report.from}` : ""} (${seconds} s)`),
    );
    if (report.skipped) throw new CliError(`${count(report.skipped, "todo")} not copied (listed above, each with what to do); run todo migrate again once they are dealt with`);
  },
});
