import { afterAll } from "bun:test";
import { MongoClient } from "mongodb";
import { mongoTarget } from "../../../test/support/ferretdb";
import { describeLeaseContract } from "../../../test/contracts/lease-contract";
import { MongoStore } from "./mongo-store";

const target = await mongoTarget("MongoDB lease tests");
if (target) {
  const admin = new MongoClient(target.url, { serverSelectionTimeoutMS: 5000 });
  const databases: string[] = [];
  afterAll(async () => {
    for (const name of databases) await admin.db(name).dropDatabase();
    await admin.close();
    await target.server?.dispose();
  });

  describeLeaseContract("mongo", async () => {
    const database = `todo_leases_${process.pid}_${databases.length}`;
    databases.push(database);
    const url = target.url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]*)(\/[^?]*)?/, `$1/${database}`);
    const stores = [0, 1, 2].map(() => MongoStore.open({ url, callTimeoutMS: 30_000 }));
    return {
      leases: stores.map((s) => s.leases()),
      // Every change of a lease is claimed by a unique insert (claims.ts): atomic on FerretDB too.
      atomicAcrossStores: true,
      close: async () => {
        for (const store of stores) await store.close();
      },
    };
  });
}
