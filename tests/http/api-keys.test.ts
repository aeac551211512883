import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { apiKeys, auditEvents } from "../../src/adapters/db/schema";
import { cacheKeys } from "../../src/core/domain/cache-keys";
import { hashSecretToken } from "../../src/core/domain/secret-token";
import { type TestApp, testApp } from "../support/app";
import { manualClock } from "../support/clock";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const clock = manualClock();
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ clock });
});

type Team = Awaited<ReturnType<TestApp["team"]>>;

async function createKey(token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.call("POST", "/api/v1/api-keys", { token, body: { name: "ci", ...body }, headers });
}

async function keyFor(team: Team, permissions: string[], extra: Record<string, unknown> = {}) {
  const res = await createKey(team.admin.accessToken, { permissions, ...extra });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { key: { id: string; prefix: string }; secret: string };
}

const withKey = (
  secret: string,
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) => t.call(method, path, { ...init, headers: { authorization: `Bearer ${secret}`, ...init.headers } });

const auditOf = (tenantId: string, action: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)));

describe("POST /api/v1/api-keys", () => {
  test("returns the secret once (sk_ and 54 base64url characters); the database holds only its SHA-256", async () => {
    const team = await t.team();
    const res = await createKey(team.admin.accessToken, { permissions: ["users:read", "flags:read"] });
    expect(res.status).toBe(201);
    const { key, secret } = res.body;
    expect(secret).toMatch(/^sk_[A-Za-z0-9_-]{54}$/);
    expect(key).toMatchObject({
      kind: "api",
      name: "ci",
      permissions: ["flags:read", "users:read"],
      prefix: secret.slice(0, 11),
      createdBy: { type: "user", id: team.admin.id },
      expiresAt: null,
      lastUsedAt: null,
    });
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.secretHash).toBe(hashSecretToken(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const [event] = await auditOf(team.tenant.id, "api_key.created");
    expect(event).toMatchObject({ actorType: "user", actorId: team.admin.id, resourceId: key.id });
    expect(JSON.stringify(event)).not.toContain(secret);
  });

  test("two keys never share a secret", async () => {
    const team = await t.team();
    const a = await keyFor(team, []);
    const b = await keyFor(team, []);
    expect(a.secret).not.toBe(b.secret);
  });

  test("client and frontend keys get their own prefixes; a frontend key keeps its origins", async () => {
    const team = await t.team();
    const client = await createKey(team.admin.accessToken, { kind: "client" });
    expect(client.status).toBe(201);
    expect(client.body.secret).toMatch(/^ck_/);
    const frontend = await createKey(team.admin.accessToken, {
      kind: "frontend",
      allowedOrigins: ["https://App.example.com"],
    });
    expect(frontend.status).toBe(201);
    expect(frontend.body.secret).toMatch(/^fk_/);
    expect(frontend.body.key.allowedOrigins).toEqual(["https://app.example.com"]);
  });

  test("escalation is refused: a permission the creator does not hold is 422 PERMISSION_NOT_HELD", async () => {
    const team = await t.team();
    const res = await createKey(team.admin.accessToken, { permissions: ["users:read", "tenants:read"] });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("PERMISSION_NOT_HELD");
    expect(await t.db.select().from(apiKeys).where(eq(apiKeys.tenantId, team.tenant.id))).toHaveLength(0);
  });

  test("a member granted api_keys:manage still cannot give a key what members lack", async () => {
    const team = await t.team();
    const grant = await t.call("POST", "/api/v1/permissions/roles/member/permissions", {
      token: team.admin.accessToken,
      body: { permission: "api_keys:manage" },
    });
    expect(grant.status).toBeLessThan(300);
    const refused = await createKey(team.member.accessToken, { permissions: ["users:delete"] });
    expect(refused.status).toBe(422);
    const allowed = await createKey(team.member.accessToken, { permissions: ["users:read"] });
    expect(allowed.status).toBe(201);
  });

  test("without api_keys:manage: 403", async () => {
    const team = await t.team();
    const res = await createKey(team.member.accessToken, { permissions: [] });
    expect(res.status).toBe(403);
  });

  test("permissions on a client key, origins on an api key, an expiry in the past: 422", async () => {
    const team = await t.team();
    const token = team.admin.accessToken;
    expect((await createKey(token, { kind: "client", permissions: ["flags:read"] })).body.code).toBe(
      "PERMISSIONS_NOT_ALLOWED",
    );
    expect((await createKey(token, { allowedOrigins: ["https://a.example"] })).body.code).toBe(
      "ORIGINS_NOT_ALLOWED",
    );
    const past = new Date(clock.now().getTime() - 1000).toISOString();
    expect((await createKey(token, { expiresAt: past })).body.code).toBe("INVALID_EXPIRY");
  });

  test("a platform admin cannot create a key for another tenant through X-Tenant", async () => {
    const root = await t.platformAdmin();
    const team = await t.team();
    const res = await createKey(root.accessToken, { permissions: [] }, { "x-tenant": team.tenant.slug });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("KEY_TENANT_MISMATCH");
  });
});

describe("GET /api/v1/api-keys", () => {
  test("lists the tenant's live keys with prefix and creator, never a secret; paged", async () => {
    const team = await t.team();
    const a = await keyFor(team, ["users:read"]);
    const b = await keyFor(team, []);
    const other = await t.team();
    await keyFor(other, []);
    const first = await t.call("GET", "/api/v1/api-keys?limit=1", { token: team.admin.accessToken });
    expect(first.status).toBe(200);
    expect(first.body.items.map((k: { id: string }) => k.id)).toEqual([a.key.id]);
    const second = await t.call("GET", `/api/v1/api-keys?limit=1&cursor=${first.body.nextCursor}`, {
      token: team.admin.accessToken,
    });
    expect(second.body.items.map((k: { id: string }) => k.id)).toEqual([b.key.id]);
    expect(second.body.nextCursor).toBeNull();
    const text = JSON.stringify([first.body, second.body]);
    expect(text).not.toContain(a.secret);
    expect(text).not.toContain(b.secret);
    expect(first.body.items[0]).toMatchObject({ prefix: a.key.prefix, createdBy: { id: team.admin.id } });
  });
});

describe("Authorization: Bearer sk_...", () => {
  test("acts in the key's tenant with exactly its permissions", async () => {
    const team = await t.team();
    const { secret } = await keyFor(team, ["users:read"]);
    const users = await withKey(secret, "GET", "/api/v1/users");
    expect(users.status).toBe(200);
    expect(users.body.items.map((u: { id: string }) => u.id)).toContain(team.admin.id);
    const flags = await withKey(secret, "GET", "/api/v1/features");
    expect(flags.status).toBe(403);
    expect(flags.body.code).toBe("FORBIDDEN");
  });

  test("a write made with a key names the key as the actor", async () => {
    const team = await t.team();
    const { key, secret } = await keyFor(team, ["flags:write", "flags:read"]);
    const res = await withKey(secret, "POST", "/api/v1/features", { body: { key: t.unique("flag") } });
    expect(res.status).toBe(201);
    const [event] = await auditOf(team.tenant.id, "flag.created");
    expect(event).toMatchObject({ actorType: "api_key", actorId: key.id, actorDisplay: key.prefix });
  });

  test("evaluating with a key: its creator is not the context's user, only the userId it sends", async () => {
    const team = await t.team();
    const { secret } = await keyFor(team, ["flags:read"]);
    const key = t.unique("beta");
    const created = await t.call("POST", "/api/v1/features", {
      token: team.admin.accessToken,
      body: {
        key,
        enabled: true,
        strategies: [{ name: "userWithId", parameters: { userIds: team.admin.id } }],
      },
    });
    expect(created.status).toBe(201);
    const evaluate = async (context: Record<string, string>) =>
      (await withKey(secret, "POST", "/api/v1/features/evaluate", { body: { key, context } })).body.items[0]
        .enabled;
    expect(await evaluate({})).toBe(false);
    expect(await evaluate({ userId: team.admin.id })).toBe(true);
  });

  test("routes for a person refuse a key: 403 PERSON_ONLY", async () => {
    const team = await t.team();
    const { secret } = await keyFor(team, [
      "profile:read",
      "profile:update",
      "users:read",
      "api_keys:manage",
    ]);
    const id = team.admin.id;
    const refused = [
      await withKey(secret, "GET", "/api/v1/users/me"),
      await withKey(secret, "GET", `/api/v1/users/${id}/sessions`),
      await withKey(secret, "DELETE", `/api/v1/users/${id}/sessions`),
      await withKey(secret, "POST", `/api/v1/users/${id}/password`, {
        body: { currentPassword: "x", newPassword: "A-New-Passphrase-42" },
      }),
      await withKey(secret, "PATCH", `/api/v1/users/${id}/email`, { body: { newEmail: "x@example.com" } }),
      await withKey(secret, "POST", "/api/v1/api-keys", { body: { name: "child", permissions: [] } }),
    ];
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(refused.map(() => [403, "PERSON_ONLY"]));
  });

  test("naming another tenant with X-Tenant: 403 TENANT_MISMATCH", async () => {
    const team = await t.team();
    const other = await t.team();
    const { secret } = await keyFor(team, ["users:read"]);
    const res = await withKey(secret, "GET", "/api/v1/users", { headers: { "x-tenant": other.tenant.slug } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("TENANT_MISMATCH");
  });

  test("a client or frontend key on the REST API: 403 API_KEY_KIND", async () => {
    const team = await t.team();
    for (const kind of ["client", "frontend"]) {
      const { body } = await createKey(team.admin.accessToken, { kind });
      const res = await withKey(body.secret, "GET", "/api/v1/users");
      expect([res.status, res.body.code]).toEqual([403, "API_KEY_KIND"]);
    }
  });

  test("unknown, revoked, expired, suspended tenant: the same 401 INVALID_API_KEY", async () => {
    const team = await t.team();
    const unknown = await withKey(`sk_${"A".repeat(54)}`, "GET", "/api/v1/users");
    expect([unknown.status, unknown.body.code]).toEqual([401, "INVALID_API_KEY"]);

    const expiring = await keyFor(team, ["users:read"], {
      expiresAt: new Date(clock.now().getTime() + 60_000).toISOString(),
    });
    expect((await withKey(expiring.secret, "GET", "/api/v1/users")).status).toBe(200);
    clock.advance(61);
    const expired = await withKey(expiring.secret, "GET", "/api/v1/users");
    expect([expired.status, expired.body.code, expired.body.detail]).toEqual([
      401,
      "INVALID_API_KEY",
      unknown.body.detail,
    ]);

    const suspendedTeam = await t.team();
    const { secret } = await keyFor(suspendedTeam, ["users:read"]);
    expect((await withKey(secret, "GET", "/api/v1/users")).status).toBe(200);
    const root = await t.platformAdmin();
    const suspend = await t.call("POST", `/api/v1/tenants/${suspendedTeam.tenant.id}/suspend`, {
      token: root.accessToken,
      body: {},
    });
    expect(suspend.status).toBe(200);
    const suspended = await withKey(secret, "GET", "/api/v1/users");
    expect([suspended.status, suspended.body.code]).toEqual([401, "INVALID_API_KEY"]);
  });

  test("DELETE revokes at once, though the key was cached; audited; a second revoke is 404", async () => {
    const team = await t.team();
    const { key, secret } = await keyFor(team, ["users:read"]);
    expect((await withKey(secret, "GET", "/api/v1/users")).status).toBe(200);
    const revoke = await t.call("DELETE", `/api/v1/api-keys/${key.id}`, { token: team.admin.accessToken });
    expect(revoke.status).toBe(204);
    const after = await withKey(secret, "GET", "/api/v1/users");
    expect([after.status, after.body.code]).toEqual([401, "INVALID_API_KEY"]);
    const [event] = await auditOf(team.tenant.id, "api_key.revoked");
    expect(event).toMatchObject({ actorType: "user", actorId: team.admin.id, resourceId: key.id });
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.revokedAt).not.toBeNull();
    const again = await t.call("DELETE", `/api/v1/api-keys/${key.id}`, { token: team.admin.accessToken });
    expect(again.status).toBe(404);
    const list = await t.call("GET", "/api/v1/api-keys", { token: team.admin.accessToken });
    expect(list.body.items).toEqual([]);
  });

  test("another tenant's admin cannot revoke the key: 404, and it keeps working", async () => {
    const team = await t.team();
    const other = await t.team();
    const { key, secret } = await keyFor(team, ["users:read"]);
    const res = await t.call("DELETE", `/api/v1/api-keys/${key.id}`, { token: other.admin.accessToken });
    expect(res.status).toBe(404);
    expect((await withKey(secret, "GET", "/api/v1/users")).status).toBe(200);
  });

  test("a key is narrowed to what its creator may do now: a demoted creator's key loses what they lost", async () => {
    const team = await t.team();
    const creator = await t.createUser(team.tenant.id, { role: "admin" });
    const { accessToken } = await t.login(team.tenant.slug, creator.email);
    const created = await createKey(accessToken, { permissions: ["users:read", "users:delete"] });
    const secret = created.body.secret as string;
    const victim = await t.createUser(team.tenant.id, { role: "guest" });
    const root = await t.platformAdmin();
    const demote = await t.call("PUT", `/api/v1/users/${creator.id}`, {
      token: root.accessToken,
      headers: { "x-tenant": team.tenant.slug },
      body: { role: "member" },
    });
    expect(demote.status).toBe(200);
    const del = await withKey(secret, "DELETE", `/api/v1/users/${victim.id}`);
    expect([del.status, del.body.code]).toEqual([403, "FORBIDDEN"]);
    expect((await withKey(secret, "GET", "/api/v1/users")).status).toBe(200);
  });

  test("a deactivated creator's key stops working at once, and works again when they are reactivated", async () => {
    const team = await t.team();
    const creator = await t.createUser(team.tenant.id, { role: "admin" });
    const { accessToken } = await t.login(team.tenant.slug, creator.email);
    const { body } = await createKey(accessToken, { permissions: ["users:read"] });
    expect((await withKey(body.secret, "GET", "/api/v1/users")).status).toBe(200);
    const root = await t.platformAdmin();
    const setActive = (isActive: boolean) =>
      t.call("PUT", `/api/v1/users/${creator.id}`, {
        token: root.accessToken,
        headers: { "x-tenant": team.tenant.slug },
        body: { isActive },
      });
    expect((await setActive(false)).status).toBe(200);
    expect((await withKey(body.secret, "GET", "/api/v1/users")).status).toBe(401);
    expect((await setActive(true)).status).toBe(200);
    expect((await withKey(body.secret, "GET", "/api/v1/users")).status).toBe(200);
  });

  test("a deleted creator's key stops working: 401", async () => {
    const team = await t.team();
    const creator = await t.createUser(team.tenant.id, { role: "admin" });
    const { accessToken } = await t.login(team.tenant.slug, creator.email);
    const { body } = await createKey(accessToken, { permissions: ["users:read"] });
    expect((await withKey(body.secret, "GET", "/api/v1/users")).status).toBe(200);
    const root = await t.platformAdmin();
    const removed = await t.call("DELETE", `/api/v1/users/${creator.id}`, {
      token: root.accessToken,
      headers: { "x-tenant": team.tenant.slug },
    });
    expect(removed.status).toBe(204);
    const after = await withKey(body.secret, "GET", "/api/v1/users");
    expect([after.status, after.body.code]).toEqual([401, "INVALID_API_KEY"]);
  });

  test("lastUsedAt is written on first use, not again within the minute, and again after it", async () => {
    const team = await t.team();
    const { key, secret } = await keyFor(team, ["users:read"]);
    const lastUsed = async () =>
      (await t.db.select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.lastUsedAt?.getTime() ?? null;
    await withKey(secret, "GET", "/api/v1/users");
    const first = await lastUsed();
    expect(first).toBe(clock.now().getTime());
    clock.advance(30);
    await withKey(secret, "GET", "/api/v1/users");
    expect(await lastUsed()).toBe(first);
    clock.advance(31);
    // The shared guard lives a minute of real time; this test's clock moved by hand.
    await t.cache.delete(cacheKeys.apiKeyUsed(key.id));
    await withKey(secret, "GET", "/api/v1/users");
    expect(await lastUsed()).toBe(clock.now().getTime());
  });

  test("the request log names the key and its creator; the secret is in no log line and no cache entry", async () => {
    const team = await t.team();
    const { key, secret } = await keyFor(team, ["users:read"]);
    const res = await withKey(secret, "GET", "/api/v1/users");
    const requestId = res.headers.get("x-request-id");
    const line = await t.logger.waitFor(
      (l) => l.event === "http.request" && l.fields?.requestId === requestId,
    );
    expect(line?.fields).toMatchObject({ apiKeyId: key.id, userId: team.admin.id, tenantId: team.tenant.id });
    await withKey(secret, "GET", "/api/v1/users/me");
    expect(JSON.stringify(t.logger.lines)).not.toContain(secret);
    expect(JSON.stringify(t.logger.lines)).not.toContain(secret.slice(11));
    const cached = await t.cache.get(cacheKeys.apiKey(hashSecretToken(secret)));
    expect(cached).toMatchObject({ revoked: false });
    expect(JSON.stringify(cached)).not.toContain(secret.slice(11));
  });
});
