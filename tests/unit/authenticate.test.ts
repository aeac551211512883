import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import { hs256Signer } from "../../src/adapters/security/hs256-signer";
import { cacheKeys } from "../../src/core/domain/cache-keys";
import { type DataScope, tenantScope } from "../../src/core/domain/data-scope";
import type { Session } from "../../src/core/domain/session";
import type { Repositories, SessionRepository, UnitOfWork } from "../../src/core/ports/repositories";
import { makeAuthenticate } from "../../src/core/usecases/auth/authenticate";

const now = new Date("2026-01-01T00:00:00Z");
const signer = hs256Signer({ secret: "k".repeat(40), issuer: "i", audience: "a", ttlSeconds: 900 });

function setup(session: Partial<Session> | null) {
  const stored: Session | null = session && {
    id: "s1",
    tenantId: "t1",
    userId: "u1",
    createdAt: now,
    lastUsedAt: now,
    expiresAt: new Date(now.getTime() + 86_400_000),
    revokedAt: null,
    ip: null,
    userAgent: null,
    ...session,
  };
  let reads = 0;
  const scopes: DataScope[] = [];
  const sessions: Pick<SessionRepository, "findById"> = {
    findById: async (tenantId, id) => {
      reads++;
      return stored?.id === id && stored.tenantId === tenantId ? stored : null;
    },
  };
  const uow: Pick<UnitOfWork, "transaction"> = {
    transaction: (scope, work) => {
      scopes.push(scope);
      return work({ sessions } as unknown as Repositories);
    },
  };
  const cache = memoryCache();
  const authenticate = makeAuthenticate({
    signer,
    uow,
    cache,
    clock: { now: () => now },
    sessionCacheTtlSeconds: 60,
  });
  const token = signer.sign({ sub: "u1", tid: "t1", sid: "s1", role: "member" }, now);
  return { authenticate, token, cache, reads: () => reads, scopes };
}

describe("authenticate", () => {
  test("a valid token of a live session gives the principal", async () => {
    const { authenticate, token } = setup({});
    expect(await authenticate(token)).toEqual({
      userId: "u1",
      tenantId: "t1",
      sessionId: "s1",
      role: "member",
    });
  });

  test("session state is read from the database once, then from the cache", async () => {
    const { authenticate, token, reads } = setup({});
    await authenticate(token);
    await authenticate(token);
    expect(reads()).toBe(1);
  });

  test("a cache miss reads the session in the tenant the token's claims name", async () => {
    const { authenticate, token, scopes } = setup({});
    await authenticate(token);
    await authenticate(token);
    expect(scopes).toEqual([tenantScope("t1")]);
  });

  test("the cached session state holds no secret", async () => {
    const { authenticate, token, cache } = setup({ ip: "10.0.0.1", userAgent: "ua" });
    await authenticate(token);
    expect(await cache.get(cacheKeys.session("s1"))).toEqual({
      userId: "u1",
      tenantId: "t1",
      expiresAt: now.getTime() + 86_400_000,
      revoked: false,
    });
  });

  test.each([
    ["a revoked session", { revokedAt: now }],
    ["an expired session", { expiresAt: now }],
    ["a session of another user", { userId: "u2" }],
    ["a session of another tenant", { tenantId: "t2" }],
  ])("%s is refused", async (_, session) => {
    const { authenticate, token } = setup(session);
    await expect(authenticate(token)).rejects.toMatchObject({ code: "INVALID_TOKEN" });
  });

  test("an unknown session is refused", async () => {
    const { authenticate, token } = setup(null);
    await expect(authenticate(token)).rejects.toMatchObject({ code: "INVALID_TOKEN" });
  });
});
