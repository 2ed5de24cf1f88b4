// bun run check:history [--store sqlite|mongo] [--daemons N] [--seconds S] [--clients C] [--todos T] [--seed X] [--dir DIR]
// Runs the history checker (docs/history.md) and exits 1 when the history it recorded is not linearizable
// or the event log disagrees with it. Defaults: 3 daemons on FerretDB for 60 s, 12 clients, 20 todos.
import { parseArgs } from "node:util";
import { runHistory } from "./harness";

const { values } = parseArgs({
  options: {
    store: { type: "string", default: "mongo" },
    daemons: { type: "string", default: "3" },
    seconds: { type: "string", default: "60" },
    clients: { type: "string", default: "12" },
    todos: { type: "string", default: "20" },
    seed: { type: "string" },
    dir: { type: "string" },
  },
});
if (values.store !== "sqlite" && values.store !== "mongo") {
  console.error(`--store: ${values.store} is not a store; use sqlite or mongo`);
  process.exit(2);
}
const number = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`--${name}: ${values[name]} is not a whole number from 1 on`);
    process.exit(2);
  }
  return n;
};
if (values.store === "sqlite" && number("daemons") > 1) {
  console.error("--daemons: daemons on SQLite each have their own store, so their clients could not agree; use --daemons 1 with --store sqlite");
  process.exit(2);
}
const result = await runHistory({
  store: values.store,
  daemons: number("daemons"),
  seconds: number("seconds"),
  clients: number("clients"),
  todos: number("todos"),
  seed: values.seed === undefined ? undefined : number("seed"),
  dir: values.dir,
  log: (line) => console.log(line),
});
console.log(result.report.trimEnd());
console.log(`history: ${result.historyPath}; report and any visualization (<todo id>.html) in ${result.dir}`);
process.exit(result.ok ? 0 : 1);
