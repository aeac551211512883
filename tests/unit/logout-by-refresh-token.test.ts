import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import type { AuditEventInput } from "../../src/core/domain/audit";
import { cacheKeys } from "../../src/core/domain/cache-keys";
import { type DataScope, secretScope } from "../../src/core/domain/data-scope";
import { hashSecretToken } from "../../src/core/domain/secret-token";
import type { RevocationReason, Session } from "../../src/core/domain/session";
import type { Repositories, UnitOfWork } from "../../src/core/ports/repositories";
import { makeLogoutByRefreshToken } from "../../src/core/usecases/auth/logout-by-refresh-token";

const now = new Date("2026-01-01T00:00:00Z");
const origin = { ip: null, userAgent: null, requestId: "r1" };

function setup(session: Partial<Session>, retiredAt: Date | null = null) {
  const stored: Session = {
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
  const audit: AuditEventInput[] = [];
  const revocations: RevocationReason[] = [];
  const scopes: DataScope[] = [];
  const repos = {
    refreshTokens: {
      findForRotation: async (hash: string) =>
        hash === hashSecretToken("the-token")
          ? {
              token: { id: "rt1", sessionId: "s1", expiresAt: stored.expiresAt, retiredAt, replacedBy: null },
              session: stored,
            }
          : null,
    },
    sessions: {
      revoke: async (_where: unknown, reason: RevocationReason, at: Date) => {
        if (stored.revokedAt) return null;
        revocations.push(reason);
        stored.revokedAt = at;
        return { ...stored };
      },
    },
    audit: { append: async (event: AuditEventInput) => void audit.push(event) },
  } as unknown as Repositories;
  const uow: UnitOfWork = {
    transaction: (scope, work) => {
      scopes.push(scope);
      return work(repos);
    },
  } as UnitOfWork;
  const cache = memoryCache();
  const logout = makeLogoutByRefreshToken({
    uow,
    cache,
    clock: { now: () => now },
    sessionCacheTtlSeconds: 60,
  });
  return { logout, audit, revocations, cache, scopes };
}

describe("logout by refresh token", () => {
  test("ends the token's session, audits auth.logout and publishes the revocation", async () => {
    const { logout, audit, revocations, cache } = setup({});
    await logout("the-token", origin);
    expect(revocations).toEqual(["logout"]);
    expect(audit).toEqual([
      expect.objectContaining({
        tenantId: "t1",
        actor: { type: "user", id: "u1", display: null },
        action: "auth.logout",
        resource: { type: "session", id: "s1" },
        outcome: "success",
      }),
    ]);
    expect(await cache.get(cacheKeys.session("s1"))).toMatchObject({ revoked: true });
  });

  test("runs in the scope of the presented token's hash: the database names the tenant", async () => {
    const { logout, scopes } = setup({});
    await logout("the-token", origin);
    expect(scopes).toEqual([secretScope("refresh_token", hashSecretToken("the-token"))]);
  });

  test("a retired token of the session ends it too", async () => {
    const { logout, revocations } = setup({}, new Date(now.getTime() - 1000));
    await logout("the-token", origin);
    expect(revocations).toEqual(["logout"]);
  });

  test("an unknown token, or one of a session already ended, ends nothing and records nothing", async () => {
    for (const [token, session] of [
      ["another-token", {}],
      ["the-token", { revokedAt: now }],
    ] as const) {
      const { logout, audit, revocations } = setup(session);
      await logout(token, origin);
      expect({ token, revocations, audit }).toEqual({ token, revocations: [], audit: [] });
    }
  });
});
