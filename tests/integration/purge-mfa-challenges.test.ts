import { describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "../../src/adapters/db/database";
import { maintenance } from "../../src/adapters/db/repositories/maintenance";
import { mfaChallenges, tenants, users } from "../../src/adapters/db/schema";
import { uuidv7Ids } from "../../src/adapters/system/uuidv7-ids";
import { embeddedDatabase, realPostgres } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const drivers: [string, () => Promise<DatabaseHandle | null>][] = [
  ["pglite", embeddedDatabase],
  ["postgres", realPostgres],
];
const id = () => uuidv7Ids.next();
const minute = 60_000;

for (const [driver, open] of drivers) {
  describe(`purging MFA sign-in steps on ${driver}`, async () => {
    const handle = await open();
    const maybe = handle ? test : test.skip;

    maybe("deletes expired and ended steps, keeps a pending one", async () => {
      const { db } = handle as DatabaseHandle;
      const now = Date.now();
      const tenantId = id();
      const userId = id();
      await db.insert(tenants).values({ id: tenantId, name: "T", slug: `mfa-purge-${tenantId.slice(-12)}` });
      await db.insert(users).values({ id: userId, tenantId, email: "mfa-purge@example.com" });
      const step = (expiresIn: number, ended: boolean) => ({
        id: id(),
        tenantId,
        userId,
        tokenHash: id(),
        expiresAt: new Date(now + expiresIn),
        endedAt: ended ? new Date(now) : null,
      });
      const pending = step(5 * minute, false);
      await db.insert(mfaChallenges).values([pending, step(-minute, false), step(5 * minute, true)]);

      const counts = await maintenance(db).purgeExpired(new Date(now));

      expect(counts.mfaChallenges).toBeGreaterThanOrEqual(2);
      const left = await db
        .select({ id: mfaChallenges.id })
        .from(mfaChallenges)
        .where(eq(mfaChallenges.userId, userId));
      expect(left).toEqual([{ id: pending.id }]);
    });
  });
}
