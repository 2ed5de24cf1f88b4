import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeLeaseContract } from "../../../test/contracts/lease-contract";
import { SqliteStore } from "./sqlite-store";

describeLeaseContract("sqlite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "todo-sqlite-leases-"));
  const stores = [SqliteStore.open(dir), SqliteStore.open(dir), SqliteStore.open(dir)];
  return {
    leases: stores.map((s) => s.leases()),
    atomicAcrossStores: true,
    close: async () => {
      for (const store of stores) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
