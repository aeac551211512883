import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq, isNull } from "drizzle-orm";
import { auditEvents, oneTimeTokens, sessions, users } from "../../src/adapters/db/schema";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf } from "../support/typed-client";

allowDatabaseStartup();

// The rule under test (README, "Tenants, users and roles"): a platform admin holding platform:users who
// names another tenant (X-Tenant) may do to its users whatever the tenant's own admin may, with the
// role hierarchy applied to the stored user acted on; every change is audited in that tenant's log.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

const NEW_PASSWORD = "Another-Passphrase-77";

/** A tenant with a signed-in member, and a platform admin acting on it through X-Tenant. */
async function scene() {
  const { tenant, admin, member } = await t.team();
  const root = await t.platformAdmin();
  const rootId = t.signer.verify(root.accessToken, new Date())!.sub;
  const api = t.api(root.accessToken, { "x-tenant": tenant.slug });
  return { tenant, admin, member, root, rootId, api };
}

const userRow = async (id: string) => (await t.db.select().from(users).where(eq(users.id, id)))[0];
const liveSessions = (userId: string) =>
  t.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
const eventsOf = (tenantId: string, actorId: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.actorId, actorId)));

describe("a platform admin managing another tenant's users", () => {
  test("lists its users, and only its users; a read writes nothing", async () => {
    const { tenant, member, rootId, api } = await scene();
    const { status, data } = await api.users.get({ query: { limit: 200 } });
    expect(status).toBe(200);
    const stored = await t.db.select().from(users).where(eq(users.tenantId, tenant.id));
    expect(data!.items.map((u) => u.id).sort()).toEqual(stored.map((u) => u.id).sort());
    expect(data!.items.map((u) => u.id)).toContain(member.id);
    expect(await eventsOf(tenant.id, rootId)).toEqual([]);
  });

  test("creates a user in it, audited there", async () => {
    const { tenant, rootId, api } = await scene();
    const email = `${t.unique("made")}@example.com`;
    const { status, data } = await api.users.post({ email, role: "admin" });
    expect(status).toBe(201);
    expect(await userRow(data!.id)).toMatchObject({ tenantId: tenant.id, email, role: "admin" });
    const [event] = await eventsOf(tenant.id, rootId);
    expect(event).toMatchObject({ action: "user.created", resourceId: data!.id, outcome: "success" });
  });

  test("reads one of its users; a read writes nothing", async () => {
    const { tenant, member, rootId, api } = await scene();
    const { status, data } = await api.users({ id: member.id }).get();
    expect(status).toBe(200);
    expect(data).toMatchObject({ id: member.id, tenantId: tenant.id, email: member.email });
    expect(await eventsOf(tenant.id, rootId)).toEqual([]);
  });

  test("changes a user's role, ending their sessions, audited there", async () => {
    const { tenant, member, rootId, api } = await scene();
    const { status } = await api.users({ id: member.id }).put({ role: "admin" });
    expect(status).toBe(200);
    expect((await userRow(member.id))!.role).toBe("admin");
    expect(await liveSessions(member.id)).toEqual([]);
    const [event] = await eventsOf(tenant.id, rootId);
    expect(event).toMatchObject({ action: "user.role_changed", resourceId: member.id });
    expect(event!.metadata).toMatchObject({ before: { role: "member" }, after: { role: "admin" } });
  });

  test("deletes a user, audited there", async () => {
    const { tenant, member, rootId, api } = await scene();
    expect((await api.users({ id: member.id }).delete()).status).toBe(204);
    expect(await userRow(member.id)).toBeUndefined();
    const [event] = await eventsOf(tenant.id, rootId);
    expect(event).toMatchObject({ action: "user.deleted", resourceId: member.id });
  });

  test("lists a user's sessions; a read writes nothing", async () => {
    const { tenant, member, rootId, api } = await scene();
    const { status, data } = await api.users({ id: member.id }).sessions.get();
    expect(status).toBe(200);
    expect(data!.items.map((s) => s.id)).toEqual((await liveSessions(member.id)).map((s) => s.id));
    expect(data!.items).toHaveLength(1);
    expect(await eventsOf(tenant.id, rootId)).toEqual([]);
  });

  test("ends one session of a user, audited there", async () => {
    const { tenant, member, rootId, api } = await scene();
    const [session] = await liveSessions(member.id);
    const { status } = await api.users({ id: member.id }).sessions({ sessionId: session!.id }).delete();
    expect(status).toBe(204);
    expect(await liveSessions(member.id)).toEqual([]);
    const [event] = await eventsOf(tenant.id, rootId);
    expect(event).toMatchObject({ action: "session.revoked", resourceId: session!.id });
    expect(event!.metadata).toMatchObject({ reason: "revoked_by_admin" });
  });

  test("ends every session of a user, audited there", async () => {
    const { tenant, member, rootId, api } = await scene();
    await t.login(tenant.slug, member.email);
    const { status, data } = await api.users({ id: member.id }).sessions.delete();
    expect(status).toBe(200);
    expect(data).toEqual({ revoked: 2 });
    expect(await liveSessions(member.id)).toEqual([]);
    const [event] = await eventsOf(tenant.id, rootId);
    expect(event).toMatchObject({ action: "session.revoked", resourceId: member.id });
  });

  test("sets a user's password without theirs, ending their sessions, audited there", async () => {
    const { tenant, member, rootId, api } = await scene();
    const before = (await userRow(member.id))!.passwordHash;
    const { status } = await api.users({ id: member.id }).password.post({ newPassword: NEW_PASSWORD });
    expect(status).toBe(204);
    expect((await userRow(member.id))!.passwordHash).not.toBe(before);
    expect(await liveSessions(member.id)).toEqual([]);
    await t.login(tenant.slug, member.email, NEW_PASSWORD);
    const [event] = await eventsOf(tenant.id, rootId);
    expect(event).toMatchObject({ action: "user.password_changed", resourceId: member.id });
    expect(event!.metadata).toMatchObject({ self: false, sessionsEnded: 1 });
  });

  test("asks to change a user's address: the link goes to the new one, audited there", async () => {
    const { tenant, member, rootId, api } = await scene();
    const newEmail = `${t.unique("moved")}@example.com`;
    const { status } = await api.users({ id: member.id }).email.patch({ newEmail });
    expect(status).toBe(202);
    const [link] = await t.db
      .select()
      .from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.userId, member.id), eq(oneTimeTokens.purpose, "email_change")));
    expect(link).toMatchObject({ tenantId: tenant.id, newEmail, requestedBy: rootId });
    expect(t.mail.sent.some((m) => m.to === newEmail)).toBe(true);
    expect((await userRow(member.id))!.email).toBe(member.email);
    const [event] = await eventsOf(tenant.id, rootId);
    expect(event).toMatchObject({ action: "user.email_change.requested", resourceId: member.id });
  });

  test("creates a user through POST /tenants/{id}/users, audited there", async () => {
    const { tenant, root, rootId } = await scene();
    const email = `${t.unique("direct")}@example.com`;
    const { status, data } = await t.api(root.accessToken).tenants({ id: tenant.id }).users.post({ email });
    expect(status).toBe(201);
    expect(await userRow(data!.id)).toMatchObject({ tenantId: tenant.id, email, role: "member" });
    const [event] = await eventsOf(tenant.id, rootId);
    expect(event).toMatchObject({ action: "user.created", resourceId: data!.id });
  });
});

describe("what a platform admin still may not do", () => {
  test("gives nobody super_admin outside the platform: the role is unchanged and the refusal audited there", async () => {
    const { tenant, member, rootId, api } = await scene();
    const result = await api.users({ id: member.id }).put({ role: "super_admin" });
    expect(result.status).toBe(403);
    expect(problemOf(result)?.code).toBe("ROLE_ESCALATION");
    expect((await userRow(member.id))!.role).toBe("member");
    const events = await eventsOf(tenant.id, rootId);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([["access.denied", "denied"]]);
    expect(events[0]!.metadata).toMatchObject({ code: "ROLE_ESCALATION" });
  });

  test("sets no password of another super admin of the platform, who is not below them", async () => {
    const { root, rootId } = await scene();
    const other = await t.platformAdmin();
    const otherId = t.signer.verify(other.accessToken, new Date())!.sub;
    const before = (await userRow(otherId))!.passwordHash;
    const result = await t
      .api(root.accessToken)
      .users({ id: otherId })
      .password.post({ newPassword: NEW_PASSWORD });
    expect(result.status).toBe(403);
    expect((await userRow(otherId))!.passwordHash).toBe(before);
    const platformId = (await userRow(rootId))!.tenantId;
    const changed = (await eventsOf(platformId, rootId)).filter((e) => e.action === "user.password_changed");
    expect(changed).toEqual([]);
  });

  test("a tenant admin naming another tenant reaches none of its users' sessions or credentials", async () => {
    const { tenant, member } = await scene();
    const outsider = await t.team();
    const api = t.api(outsider.admin.accessToken, { "x-tenant": tenant.slug });
    const before = (await userRow(member.id))!.passwordHash;
    const attempts = [
      await api.users({ id: member.id }).sessions.get(),
      await api.users({ id: member.id }).sessions.delete(),
      await api.users({ id: member.id }).password.post({ newPassword: NEW_PASSWORD }),
      await api.users({ id: member.id }).email.patch({ newEmail: `${t.unique("x")}@example.com` }),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(403);
      expect(problemOf(attempt)?.code).toBe("TENANT_MISMATCH");
    }
    expect((await userRow(member.id))!.passwordHash).toBe(before);
    expect(await liveSessions(member.id)).toHaveLength(1);
    expect(await eventsOf(tenant.id, outsider.admin.id)).toEqual([]);
  });
});
