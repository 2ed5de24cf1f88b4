// Random bytes from Web Crypto (a global), not node:crypto: loading that module cost a one-shot `todo add`
// about a millisecond (docs/performance.md).
const randomBytes = (n: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(n)));

// An id's form (ID_PATTERN) is the vocabulary's: src/vocabulary/todo.ts.

// Lists order todos by id where nothing else tells them apart (no reminder), so ids must follow the
// order they were made in, also across processes: each `todo add` picks its todo's id itself (so a retry
// cannot create it twice). A standard ObjectId orders by seconds only, then by bytes random to each
// process; these put the millisecond next, so adds even a few ms apart list in the order they were made.
const processRandom = randomBytes(4).readUInt32BE(0) & 0x3fffffff;
// Starts low enough that it does not wrap (which would break the order within one millisecond) for 8M ids.
let counter = randomBytes(3).readUIntBE(0, 3) & 0x7fffff;
let lastMs = 0;

/**
 * A new ObjectId: 4 bytes of seconds; then 10 bits of the millisecond and 30 bits random to this
 * process (the ObjectId's 5 "process unique" bytes); then a 3-byte counter.
 */
export function newId(now = Date.now()): string {
  // A clock stepped back must not reorder this process's own ids.
  const ms = Math.max(now, lastMs);
  lastMs = ms;
  const id = Buffer.alloc(12);
  id.writeUInt32BE(Math.floor(ms / 1000) >>> 0, 0);
  id.writeUIntBE((ms % 1000) * 2 ** 30 + processRandom, 4, 5);
  counter = (counter + 1) & 0xffffff;
  id.writeUIntBE(counter, 9, 3);
  return id.toString("hex");
}
