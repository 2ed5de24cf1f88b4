import { randomBytes } from "node:crypto";

/** Ids are MongoDB ObjectIds in hex, in every store, so a todo keeps its id when it moves between stores. */
export const ID_PATTERN = /^[0-9a-f]{24}$/;

const processUnique = randomBytes(5);
let counter = randomBytes(3).readUIntBE(0, 3);

/** A new ObjectId: 4 bytes of seconds, 5 bytes unique to this process, a 3-byte counter. */
export function newId(now = Date.now()): string {
  const id = Buffer.alloc(12);
  id.writeUInt32BE(Math.floor(now / 1000) >>> 0, 0);
  processUnique.copy(id, 4);
  counter = (counter + 1) & 0xffffff;
  id.writeUIntBE(counter, 9, 3);
  return id.toString("hex");
}
