import { describe, expect, test } from "bun:test";
import { eq, inArray } from "drizzle-orm";
import type { DatabaseHandle } from "../../src/adapters/db/database";
import { oneTimeTokens, refreshTokens, sessions, tenants, users } from "../../src/adapters/db/schema";
import { scopedDatabase } from "../../src/adapters/db/scoped-database";
import { unitOfWork } from "../../src/adapters/db/unit-of-work";
import { systemClock } from "../../src/adapters/system/system-clock";
import { uuidv7Ids } from "../../src/adapters/system/uuidv7-ids";
import { makePurgeExpired } from "../../src/core/usecases/maintenance/purge-expired";
import { embeddedDatabase, realPostgres } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const drivers: [string, () => Promise<DatabaseHandle | null>][] = [
  ["pglite", embeddedDatabase],
  ["postgres", realPostgres],
];
const id = () => uuidv7Ids.next();
const hour = 3_600_000;

/** One user with a live, an expired and a revoked session, and live, used and expired one-time tokens. */
async function seed(h: DatabaseHandle) {
  const now = Date.now();
  const tenantId = id();
  const userId = id();
  await h.db.insert(tenants).values({ id: tenantId, name: "T", slug: `purge-${tenantId.slice(-12)}` });
  await h.db.insert(users).values({ id: userId, tenantId, email: "purge@example.com" });
  const session = (expiresIn: number, revoked: boolean) => ({
    id: id(),
    tenantId,
    userId,
    expiresAt: new Date(now + expiresIn),
    revokedAt: revoked ? new Date(now) : null,
  });
  const live = session(hour, false);
  const expired = session(-hour, false);
  const revoked = session(hour, true);
  await h.db.insert(sessions).values([live, expired, revoked]);
  await h.db.insert(refreshTokens).values(
    [live, expired, revoked].map((s) => ({
      id: id(),
      tenantId,
      sessionId: s.id,
      tokenHash: id(),
      expiresAt: s.expiresAt,
    })),
  );
  const token = (expiresIn: number, used: boolean) => ({
    id: id(),
    tenantId,
    userId,
    purpose: "password_reset" as const,
    tokenHash: id(),
    expiresAt: new Date(now + expiresIn),
    usedAt: used ? new Date(now) : null,
  });
  const usable = token(hour, false);
  await h.db.insert(oneTimeTokens).values([usable, token(hour, true), token(-hour, false)]);
  return { userId, live, usable };
}

for (const [driver, open] of drivers) {
  describe(`purgeExpired on ${driver}`, async () => {
    const handle = await open();
    const maybe = handle ? test : test.skip;
    const h = handle as DatabaseHandle;

    maybe(
      "deletes ended sessions with their refresh tokens and spent one-time tokens; keeps the rest",
      async () => {
        const { userId, live, usable } = await seed(h);
        const outcome = await makePurgeExpired({
          uow: unitOfWork(scopedDatabase(h), systemClock, uuidv7Ids),
          clock: systemClock,
          intervalSeconds: 0,
        })();
        expect(outcome.ran).toBe(true);
        if (outcome.ran) {
          expect(outcome.sessions).toBeGreaterThanOrEqual(2);
          expect(outcome.oneTimeTokens).toBeGreaterThanOrEqual(2);
        }
        const left = await h.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
        expect(left).toEqual([{ id: live.id }]);
        const tokens = await h.db
          .select()
          .from(refreshTokens)
          .where(inArray(refreshTokens.sessionId, [live.id]));
        expect(tokens).toHaveLength(1);
        const oneTime = await h.db
          .select({ id: oneTimeTokens.id })
          .from(oneTimeTokens)
          .where(eq(oneTimeTokens.userId, userId));
        expect(oneTime).toEqual([{ id: usable.id }]);
      },
    );

    maybe("runs once per interval, whichever instance claims it first", async () => {
      // Far ahead of any other test's claims on this database.
      const start = Date.now() + 30 * 86_400_000 + Math.floor(Math.random() * 86_400_000);
      const instance = (at: number) =>
        makePurgeExpired({
          uow: unitOfWork(scopedDatabase(h), systemClock, uuidv7Ids),
          clock: { now: () => new Date(at) },
          intervalSeconds: 60,
        })();
      const [first, second] = await Promise.all([instance(start), instance(start + 1_000)]);
      expect([first.ran, second.ran].filter(Boolean)).toHaveLength(1);
      expect((await instance(start + 30_000)).ran).toBe(false);
      expect((await instance(start + 61_000)).ran).toBe(true);
    });
  });
}
