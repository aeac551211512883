import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import { cacheKeys } from "../../src/core/domain/cache-keys";
import type { Session } from "../../src/core/domain/session";
import type { Cache } from "../../src/core/ports/cache";
import { publishRevocations } from "../../src/core/usecases/auth/session-state";

const session: Session = {
  id: "s1",
  tenantId: "t1",
  userId: "u1",
  createdAt: new Date(),
  lastUsedAt: new Date(),
  expiresAt: new Date(Date.now() + 60_000),
  revokedAt: new Date(),
  ip: null,
  userAgent: null,
};

describe("publishRevocations", () => {
  test("writes the revoked state over a cached live one", async () => {
    const cache = memoryCache();
    await cache.set(cacheKeys.session("s1"), { revoked: false }, 60);
    await publishRevocations(cache, [session], 60);
    expect(await cache.get(cacheKeys.session("s1"))).toMatchObject({ revoked: true });
  });

  test("when the write fails, it removes the cached live state so the database decides", async () => {
    const inner = memoryCache();
    await inner.set(cacheKeys.session("s1"), { revoked: false }, 60);
    const refusingWrites: Cache = { ...inner, set: async () => false };
    await publishRevocations(refusingWrites, [session], 60);
    expect(await inner.get(cacheKeys.session("s1"))).toBeUndefined();
  });
});
