// The leases' contract (ports.ts: Leases): every adapter runs this suite unchanged, with several
// store objects on one database standing in for several daemons.
import { describe, expect, test } from "bun:test";
import type { Leases } from "../../src/todos/ports";

export interface LeasesUnderTest {
  /** Leases of store objects on one new, empty database. */
  leases: Leases[];
  /** Whether one conditional update is atomic across store objects (FerretDB 1.24's are not). */
  atomicAcrossStores: boolean;
  close(): Promise<void>;
}

const LONG = 60_000;

export function describeLeaseContract(name: string, open: () => Promise<LeasesUnderTest>) {
  describe(`${name} lease contract`, () => {
    test("one holder at a time: a held lease is refused to others, and its holder may take it again", async () => {
      const under = await open();
      try {
        const [a, b] = under.leases as [Leases, Leases];
        expect(await a.read("relay")).toBeNull();
        expect(await a.acquire("relay", "daemon-a", LONG)).toEqual({
          checkpoint: 0,
        });
        expect(await b.acquire("relay", "daemon-b", LONG)).toBeNull();
        expect(await a.acquire("relay", "daemon-a", LONG)).toEqual({
          checkpoint: 0,
        });
        const state = await b.read("relay");
        expect(state?.holder).toBe("daemon-a");
        expect(state!.expiresAt).toBeGreaterThan(Date.now() + LONG / 2);
        // Another name is another lease.
        expect(await b.acquire("other", "daemon-b", LONG)).toEqual({
          checkpoint: 0,
        });
      } finally {
        await under.close();
      }
    });

    test("the checkpoint rises only, and only its holder moves it; renew is the holder's alone", async () => {
      const under = await open();
      try {
        const [a, b] = under.leases as [Leases, Leases];
        await a.acquire("relay", "daemon-a", LONG);
        expect(await a.checkpoint("relay", "daemon-a", 10)).toBe(true);
        expect(await a.checkpoint("relay", "daemon-a", 4)).toBe(true);
        expect((await b.read("relay"))?.checkpoint).toBe(10);
        expect(await b.checkpoint("relay", "daemon-b", 50)).toBe(false);
        expect(await b.renew("relay", "daemon-b", LONG)).toBe(false);
        expect(await a.renew("relay", "daemon-a", LONG)).toBe(true);
        expect(await b.read("relay")).toMatchObject({
          holder: "daemon-a",
          checkpoint: 10,
        });
      } finally {
        await under.close();
      }
    });

    test("an expired lease is taken over with its checkpoint, and the old holder can no longer renew or move it", async () => {
      const under = await open();
      try {
        const [a, b] = under.leases as [Leases, Leases];
        // A short lease (a held one is refused to others: the first test): b takes it once it expired.
        await a.acquire("relay", "daemon-a", 1500);
        expect(await a.checkpoint("relay", "daemon-a", 7)).toBe(true);
        while ((await b.read("relay"))!.expiresAt >= Date.now()) await Bun.sleep(50);
        expect(await b.acquire("relay", "daemon-b", LONG)).toEqual({
          checkpoint: 7,
        });
        expect(await a.renew("relay", "daemon-a", LONG)).toBe(false);
        expect(await a.checkpoint("relay", "daemon-a", 9)).toBe(false);
        expect(await a.read("relay")).toMatchObject({
          holder: "daemon-b",
          checkpoint: 7,
        });
      } finally {
        await under.close();
      }
    });

    test("a released lease can be taken at once, its checkpoint kept; releasing another's does nothing", async () => {
      const under = await open();
      try {
        const [a, b] = under.leases as [Leases, Leases];
        await a.acquire("relay", "daemon-a", LONG);
        await a.checkpoint("relay", "daemon-a", 3);
        await b.release("relay", "daemon-b");
        expect(await b.acquire("relay", "daemon-b", LONG)).toBeNull();
        await a.release("relay", "daemon-a");
        expect(await b.acquire("relay", "daemon-b", LONG)).toEqual({
          checkpoint: 3,
        });
      } finally {
        await under.close();
      }
    });

    test("daemons racing for a free lease: one wins, and the store names a winner", async () => {
      const under = await open();
      try {
        // Ten races, each for a lease just released: every one has exactly one winner, the holder stored.
        const rounds: string[][] = [];
        for (let round = 0; round < 10; round++) {
          const results = await Promise.all(under.leases.map((l, i) => l.acquire("relay", `daemon-${i}`, LONG)));
          const winners = results.flatMap((r, i) => (r ? [`daemon-${i}`] : []));
          const stored = await under.leases[0]!.read("relay");
          if (under.atomicAcrossStores) expect(winners).toEqual([stored!.holder]);
          else expect(winners).toContain(stored!.holder);
          rounds.push(winners);
          await under.leases[0]!.release("relay", stored!.holder);
          for (const [i, leases] of under.leases.entries()) await leases.release("relay", `daemon-${i}`);
        }
        expect(rounds.every((winners) => winners.length >= 1)).toBe(true);
      } finally {
        await under.close();
      }
    });
  });
}
