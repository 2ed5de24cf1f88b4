import { defineCommand } from "citty";
import { CliError } from "../errors";
import { inert } from "../text";

const args = {
  "mongo-url": { type: "string", description: "The MongoDB the original todod used, and todo serve uses (env MONGO_URL)", valueHint: "url" },
  "mongo-db": { type: "string", description: "todo serve's database when the URL names none (env MONGO_DB, default todo)", valueHint: "name" },
  "from-db": { type: "string", description: "The original todod's database", default: "challenge", valueHint: "name" },
  "from-collection": { type: "string", description: "The original todod's collection", default: "todo", valueHint: "name" },
  "dry-run": { type: "boolean", description: "Report what would be copied, and write nothing" },
} as const;

const n = (count: number) => count.toLocaleString("en-US");
const count = (count: number, what: string) => `${n(count)} ${what}${count === 1 ? "" : "s"}`;

export default defineCommand({
  meta: {
    name: "migrate",
    description: "Copy the original todod's todos (MongoDB challenge.todo) into todo serve's collection, ids kept; the original's collection is only read",
  },
  args,
  // A mistyped flag is refused before this runs (the command line is strict): `--dryrun` must not write.
  async run({ args: flags }) {
    const url = flags["mongo-url"] || process.env.MONGO_URL;
    if (!url) throw new CliError("--mongo-url / MONGO_URL is required: the MongoDB the original todod used", 2);
    const { migrateOriginal, MigrationError } = await import("../../store/mongo/migrate-original");
    const started = performance.now();
    const dryRun = Boolean(flags["dry-run"]);
    let report;
    try {
      report = await migrateOriginal({
        url,
        database: flags["mongo-db"] || process.env.MONGO_DB || undefined,
        from: { database: flags["from-db"], collection: flags["from-collection"] },
        dryRun,
        // A document's _id and fields are the original's data: any string, printed inert.
        onNote: ({ id, message }) => console.log(inert(`${id}: ${message}`)),
      });
    } catch (e) {
      if (e instanceof MigrationError) throw new CliError(e.message, e.badInput ? 2 : 1);
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
