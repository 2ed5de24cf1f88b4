import { run } from "./cli/main";

// A function, not a top-level await: with --bytecode, `bun build --compile` fails on a top-level await.
void run(process.argv.slice(2));
