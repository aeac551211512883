import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, refreshTokens, sessions, tenants, users } from "../../src/adapters/db/schema";
import { cacheKeys } from "../../src/core/domain/cache-keys";
import { hashSecretToken } from "../../src/core/domain/secret-token";
import { type TestApp, testApp } from "../support/app";
import { manualClock } from "../support/clock";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf } from "../support/typed-client";

allowDatabaseStartup();

const clock = manualClock();
let t: TestApp;
beforeAll(async () => {
  t = await testApp({
    clock,
    env: {
      REFRESH_REUSE_GRACE_SECONDS: "10",
      SESSION_IDLE_TIMEOUT_SECONDS: "3600",
      REFRESH_TOKEN_TTL_SECONDS: "86400",
    },
  });
});

const refresh = (refreshToken: string, headers: Record<string, string> = {}) =>
  t.api(undefined, headers).auth.refresh.post({ refreshToken });
const me = (token: string) => t.api(token).users.me.get();
const logout = (token?: string) => t.api(token).auth.logout.post();
const sessionsOf = (token: string, userId: string) => t.api(token).users({ id: userId }).sessions;

async function signIn(role: "member" | "admin" = "member", tenant?: { id: string; slug: string }) {
  const where = tenant ?? (await t.createTenant());
  const user = await t.createUser(where.id, { role });
  const tokens = await t.login(where.slug, user.email);
  const sessionId = t.signer.verify(tokens.accessToken, clock.now())!.sid;
  return { tenant: where, user, ...tokens, sessionId };
}

const sessionRow = async (id: string) => (await t.db.select().from(sessions).where(eq(sessions.id, id)))[0]!;
const auditOf = async (tenantId: string, action: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)));

describe("POST /auth/refresh", () => {
  test("rotates: a new pair for the same session, the presented token retired and pointing at its successor", async () => {
    const s = await signIn();
    clock.advance(60);
    const res = await refresh(s.refreshToken);
    expect(res.status).toBe(200);
    expect(res.data!.refreshToken).not.toBe(s.refreshToken);
    expect(t.signer.verify(res.data!.accessToken, clock.now())!.sid).toBe(s.sessionId);

    const [old] = await t.db
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashSecretToken(s.refreshToken)));
    const [next] = await t.db
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashSecretToken(res.data!.refreshToken!)));
    expect(old!.retiredAt).toEqual(clock.now());
    expect(old!.replacedBy).toBe(next!.id);
    const session = await sessionRow(s.sessionId);
    expect(next).toMatchObject({
      sessionId: s.sessionId,
      tenantId: s.tenant.id,
      createdAt: clock.now(),
      expiresAt: session.expiresAt,
      retiredAt: null,
      replacedBy: null,
    });
    expect(session.lastUsedAt).toEqual(clock.now());
    expect((await me(res.data!.accessToken)).status).toBe(200);
  });

  test("a retired token presented within the grace window gets the same successor again", async () => {
    const s = await signIn();
    const first = await refresh(s.refreshToken);
    clock.advance(5);
    const again = await refresh(s.refreshToken);
    expect(again.status).toBe(200);
    expect(again.data!.refreshToken).toBe(first.data!.refreshToken);
    expect(t.signer.verify(again.data!.accessToken, clock.now())!.sid).toBe(s.sessionId);
    expect((await sessionRow(s.sessionId)).revokedAt).toBeNull();
    const live = await t.db.select().from(refreshTokens).where(eq(refreshTokens.sessionId, s.sessionId));
    expect(live.filter((row) => row.retiredAt === null)).toHaveLength(1);
    expect((await refresh(first.data!.refreshToken!)).status).toBe(200);
  });

  test("a thief replaying a token within the grace window does not keep the session", async () => {
    const s = await signIn();
    const legit = await refresh(s.refreshToken);
    clock.advance(5);
    const thief = await refresh(s.refreshToken);
    expect(thief.status).toBe(200);
    clock.advance(600);
    expect((await refresh(legit.data!.refreshToken!)).status).toBe(200);
    clock.advance(600);
    const stolen = await refresh(thief.data!.refreshToken!);
    expect(stolen.status).toBe(401);
    expect(problemOf(stolen)?.code).toBe("REFRESH_TOKEN_REUSED");
    expect((await sessionRow(s.sessionId)).revokedReason).toBe("refresh_token_reused");
  });

  test("concurrent refreshes with one token all succeed with the same successor (tabs at once)", async () => {
    const s = await signIn();
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(s.refreshToken)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.data!.refreshToken)).size).toBe(1);
    const family = await t.db.select().from(refreshTokens).where(eq(refreshTokens.sessionId, s.sessionId));
    expect(family).toHaveLength(2);
    expect(family.filter((row) => row.retiredAt === null)).toHaveLength(1);
  });

  test("reuse after the grace window ends the whole session at once and is audited", async () => {
    const s = await signIn();
    const rotated = await refresh(s.refreshToken);
    clock.advance(11);
    const reuse = await refresh(s.refreshToken);
    expect(reuse.status).toBe(401);
    expect(problemOf(reuse)?.code).toBe("REFRESH_TOKEN_REUSED");

    const row = await t.db.select().from(sessions).where(eq(sessions.id, s.sessionId));
    expect(row[0]).toMatchObject({ revokedReason: "refresh_token_reused" });
    expect(row[0]!.revokedAt).not.toBeNull();
    expect((await me(rotated.data!.accessToken)).status).toBe(401);
    expect((await refresh(rotated.data!.refreshToken!)).status).toBe(401);
    const events = await auditOf(s.tenant.id, "auth.refresh.reused");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: "denied", resourceId: s.sessionId, actorId: s.user.id });
  });

  test("an unknown token, an access token and a garbage string are 401 INVALID_REFRESH_TOKEN", async () => {
    const s = await signIn();
    for (const refreshToken of ["x".repeat(43), s.accessToken.slice(0, 256), "not a token"]) {
      const res = await refresh(refreshToken);
      expect(res.status).toBe(401);
      expect(problemOf(res)?.code).toBe("INVALID_REFRESH_TOKEN");
    }
  });

  test("a refresh token is not an access token", async () => {
    const s = await signIn();
    const res = await me(s.refreshToken);
    expect(res.status).toBe(401);
    expect(problemOf(res)?.code).toBe("INVALID_TOKEN");
  });

  test("past the absolute lifetime the token is 401 REFRESH_TOKEN_EXPIRED", async () => {
    const s = await signIn();
    // Keep the session active (no idle expiry) until its absolute end.
    let token = s.refreshToken;
    for (let i = 0; i < 24; i++) {
      clock.advance(3_599);
      const res = await refresh(token);
      if (res.status !== 200) {
        expect(problemOf(res)?.code).toBe("REFRESH_TOKEN_EXPIRED");
        return;
      }
      token = res.data!.refreshToken!;
    }
    clock.advance(3_599);
    const res = await refresh(token);
    expect(res.status).toBe(401);
    expect(problemOf(res)?.code).toBe("REFRESH_TOKEN_EXPIRED");
  });

  test("a session idle past SESSION_IDLE_TIMEOUT_SECONDS ends", async () => {
    const s = await signIn();
    clock.advance(3_600);
    const res = await refresh(s.refreshToken);
    expect(res.status).toBe(401);
    expect(problemOf(res)?.code).toBe("REFRESH_TOKEN_EXPIRED");
    expect(await sessionRow(s.sessionId)).toMatchObject({ revokedReason: "idle_timeout" });
  });

  test("a token of tenant A presented to tenant B is 403 TENANT_MISMATCH and changes nothing", async () => {
    const s = await signIn();
    const other = await t.createTenant();
    const res = await refresh(s.refreshToken, { "x-tenant": other.slug });
    expect(res.status).toBe(403);
    expect(problemOf(res)?.code).toBe("TENANT_MISMATCH");
    const [token] = await t.db
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashSecretToken(s.refreshToken)));
    expect(token!.retiredAt).toBeNull();
  });

  test("a suspended tenant's sessions cannot refresh", async () => {
    const s = await signIn();
    await t.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, s.tenant.id));
    const res = await refresh(s.refreshToken);
    expect(res.status).toBe(403);
    expect(problemOf(res)?.code).toBe("TENANT_INACTIVE");
  });

  test("a deactivated user's refresh is refused and ends the session", async () => {
    const s = await signIn();
    await t.db.update(users).set({ isActive: false }).where(eq(users.id, s.user.id));
    const res = await refresh(s.refreshToken);
    expect(res.status).toBe(401);
    expect(await sessionRow(s.sessionId)).toMatchObject({ revokedReason: "user_inactive" });
  });

  test("the new access token carries the user's current role", async () => {
    const s = await signIn("member");
    await t.db.update(users).set({ role: "admin" }).where(eq(users.id, s.user.id));
    const res = await refresh(s.refreshToken);
    expect(t.signer.verify(res.data!.accessToken, clock.now())!.role).toBe("admin");
  });
});

describe("POST /auth/logout", () => {
  test("ends the current session: its access and refresh tokens stop working, and it is audited", async () => {
    const s = await signIn();
    const res = await logout(s.accessToken);
    expect(res.status).toBe(204);
    expect(await sessionRow(s.sessionId)).toMatchObject({ revokedReason: "logout" });
    expect((await me(s.accessToken)).status).toBe(401);
    expect(problemOf(await refresh(s.refreshToken))?.code).toBe("INVALID_REFRESH_TOKEN");
    expect(await auditOf(s.tenant.id, "auth.logout")).toHaveLength(1);
  });

  test("the revocation holds with the cache cold (database fallback)", async () => {
    const s = await signIn();
    await logout(s.accessToken);
    await t.cache.delete(cacheKeys.session(s.sessionId));
    expect((await me(s.accessToken)).status).toBe(401);
  });

  test("other sessions of the user stay signed in", async () => {
    const s = await signIn();
    const second = await t.login(s.tenant.slug, s.user.email);
    await logout(s.accessToken);
    expect((await me(second.accessToken)).status).toBe(200);
  });

  test("without a token it is 401", async () => {
    expect((await logout()).status).toBe(401);
  });
});

describe("/users/{id}/sessions", () => {
  test("lists the user's live sessions, marks the current one, and shows no secret", async () => {
    const s = await signIn();
    const second = await t.login(s.tenant.slug, s.user.email);
    await logout(second.accessToken);
    const third = await t.login(s.tenant.slug, s.user.email);

    const res = await sessionsOf(s.accessToken, s.user.id).get();
    expect(res.status).toBe(200);
    const items = res.data!.items;
    expect(items).toHaveLength(2);
    expect(items.filter((x) => x.current).map((x) => x.id)).toEqual([s.sessionId]);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual([
        "createdAt",
        "current",
        "expiresAt",
        "id",
        "ip",
        "lastUsedAt",
        "mfa",
        "userAgent",
      ]);
    }
    const text = JSON.stringify(res.data);
    for (const secret of [
      s.refreshToken,
      third.refreshToken,
      hashSecretToken(third.refreshToken),
      third.accessToken,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  test("a member cannot see or end another member's sessions", async () => {
    const victim = await signIn();
    const attacker = await signIn("member", victim.tenant);
    const theirs = sessionsOf(attacker.accessToken, victim.user.id);
    expect((await theirs.get()).status).toBe(403);
    expect((await theirs.delete()).status).toBe(403);
    expect((await sessionRow(victim.sessionId)).revokedAt).toBeNull();
  });

  test("an admin can list and end a member's sessions, audited as revoked_by_admin", async () => {
    const member = await signIn();
    const admin = await signIn("admin", member.tenant);
    const memberSessions = sessionsOf(admin.accessToken, member.user.id);
    const list = await memberSessions.get();
    expect(list.data!.items.map((x) => [x.id, x.current])).toEqual([[member.sessionId, false]]);

    const res = await memberSessions({ sessionId: member.sessionId }).delete();
    expect(res.status).toBe(204);
    expect(await sessionRow(member.sessionId)).toMatchObject({ revokedReason: "revoked_by_admin" });
    expect((await me(member.accessToken)).status).toBe(401);
    const [event] = await auditOf(member.tenant.id, "session.revoked");
    expect(event).toMatchObject({ actorId: admin.user.id, resourceId: member.sessionId });
  });

  test("an admin cannot end another admin's sessions: only users strictly below", async () => {
    const victim = await signIn("admin");
    const attacker = await signIn("admin", victim.tenant);
    const res = await sessionsOf(attacker.accessToken, victim.user.id).delete();
    expect(res.status).toBe(403);
    expect((await sessionRow(victim.sessionId)).revokedAt).toBeNull();
  });

  test("a user of another tenant is 404, even for an admin", async () => {
    const stranger = await signIn();
    const admin = await signIn("admin");
    const theirs = sessionsOf(admin.accessToken, stranger.user.id);
    expect((await theirs.get()).status).toBe(404);
    expect((await theirs.delete()).status).toBe(404);
    expect((await sessionRow(stranger.sessionId)).revokedAt).toBeNull();
  });

  test("ending a session that is not that user's is 404 and ends nothing", async () => {
    const mine = await signIn();
    const other = await signIn("member", mine.tenant);
    const res = await sessionsOf(mine.accessToken, mine.user.id)({ sessionId: other.sessionId }).delete();
    expect(res.status).toBe(404);
    expect(problemOf(res)?.code).toBe("SESSION_NOT_FOUND");
    expect((await sessionRow(other.sessionId)).revokedAt).toBeNull();
  });

  test("DELETE all ends every session of the user, the caller's own included", async () => {
    const s = await signIn();
    const second = await t.login(s.tenant.slug, s.user.email);
    const res = await sessionsOf(s.accessToken, s.user.id).delete();
    expect(res.data).toEqual({ revoked: 2 });
    expect((await me(s.accessToken)).status).toBe(401);
    expect((await me(second.accessToken)).status).toBe(401);
  });

  test("an id that is not a UUID is 422", async () => {
    const s = await signIn();
    const res = await sessionsOf(s.accessToken, "not-a-uuid").get();
    expect(res.status).toBe(422);
  });
});
