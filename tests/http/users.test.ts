import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, sessions, users } from "../../src/adapters/db/schema";
import type { UnitOfWork } from "../../src/core/ports/repositories";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { tokenFromLink } from "../support/mailer";
import { everyLinkRefused, issueEveryLink, unusedLinks, useLinks } from "../support/one-time-links";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf } from "../support/typed-client";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

type Role = "guest" | "member" | "admin";
const userRow = async (id: string) => (await t.db.select().from(users).where(eq(users.id, id)))[0];
const liveSessions = async (userId: string) =>
  (await t.db.select().from(sessions).where(eq(sessions.userId, userId))).filter((s) => s.revokedAt === null);

async function member(tenant: { id: string; slug: string }, role: Role) {
  const user = await t.createUser(tenant.id, { role });
  return { ...user, ...(await t.login(tenant.slug, user.email)) };
}

async function team() {
  const tenant = await t.createTenant();
  return {
    tenant,
    admin: await member(tenant, "admin"),
    admin2: await member(tenant, "admin"),
    member: await member(tenant, "member"),
    guest: await member(tenant, "guest"),
  };
}

describe("POST /users", () => {
  test("an admin creates a user with a password: stored hashed, verification mailed, audited", async () => {
    const { tenant, admin } = await team();
    const email = `${t.unique("new")}@example.com`;
    const res = await t
      .api(admin.accessToken)
      .users.post({ email, password: "A-Fresh-Passphrase-42", role: "member", firstName: "Ann" });
    expect(res.status).toBe(201);
    expect(res.data).toMatchObject({
      email,
      role: "member",
      firstName: "Ann",
      emailVerified: false,
      tenantId: tenant.id,
    });
    const row = await userRow(res.data!.id);
    expect(row!.passwordHash).toStartWith("$2b$");
    expect((await t.mail.waitFor(email)).subject).toBe("Verify your email address");
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "user.created")));
    expect(events.map((e) => e.resourceId)).toContain(res.data!.id);
    expect(JSON.stringify(events)).not.toContain("A-Fresh-Passphrase-42");
  });

  test("without a password an invitation is mailed; accepting it sets the password and verifies the email", async () => {
    const { tenant, admin } = await team();
    const email = `${t.unique("invited")}@example.com`;
    const res = await t.api(admin.accessToken).users.post({ email });
    expect(res.status).toBe(201);
    expect((await userRow(res.data!.id))!.passwordHash).toBeNull();
    const invitation = await t.mail.waitFor(email);
    expect(invitation.subject).toContain("invited");
    const accept = await t.api().auth["accept-invitation"].post({
      token: tokenFromLink(invitation),
      newPassword: "A-Fresh-Passphrase-42",
    });
    expect(accept.status).toBe(204);
    expect((await userRow(res.data!.id))!.emailVerifiedAt).not.toBeNull();
    await t.login(tenant.slug, email, "A-Fresh-Passphrase-42");
  });

  test("without a role the user is a member", async () => {
    const { admin } = await team();
    const res = await t.api(admin.accessToken).users.post({ email: `${t.unique("m")}@example.com` });
    expect(res.data!.role).toBe("member");
    expect((await userRow(res.data!.id))!.role).toBe("member");
  });

  // Raw calls: these bodies are outside the request type, which is the point.
  test("tenantId, passwordHash, emailVerified and other unknown fields are refused", async () => {
    const { admin } = await team();
    for (const extra of [
      { tenantId: crypto.randomUUID() },
      { passwordHash: "$2b$x" },
      { emailVerified: true },
    ]) {
      const res = await t.call("POST", "/api/v1/users", {
        token: admin.accessToken,
        body: { email: `${t.unique("x")}@example.com`, ...extra },
      });
      expect(res.status).toBe(422);
    }
  });

  test("a weak password is 422 and a taken email 409; nothing is created", async () => {
    const { tenant, admin, member: taken } = await team();
    const email = `${t.unique("weak")}@example.com`;
    const usersApi = t.api(admin.accessToken).users;
    expect(problemOf(await usersApi.post({ email, password: "short" }))?.code).toBe("WEAK_PASSWORD");
    expect((await usersApi.post({ email: taken.email })).status).toBe(409);
    expect(
      await t.db
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenant.id), eq(users.email, email))),
    ).toEqual([]);
  });

  test("escalation: a tenant admin cannot create a super_admin; a member cannot create users", async () => {
    const { tenant, admin, member: m } = await team();
    const email = `${t.unique("boss")}@example.com`;
    const boss = await t.api(admin.accessToken).users.post({ email, role: "super_admin" });
    expect(boss.status).toBe(403);
    expect(problemOf(boss)?.code).toBe("ROLE_ESCALATION");
    expect((await t.api(m.accessToken).users.post({ email })).status).toBe(403);
    expect(
      await t.db
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenant.id), eq(users.email, email))),
    ).toEqual([]);
  });
});

describe("GET /users", () => {
  test("pages with a cursor and filters by email prefix, role and isActive", async () => {
    const { tenant, admin } = await team();
    const prefix = t.unique("zz");
    for (let i = 0; i < 3; i++)
      await t.createUser(tenant.id, { email: `${prefix}-${i}@example.com`, role: "guest" });
    await t.createUser(tenant.id, { email: `${prefix}-off@example.com`, isActive: false });

    const list = t.api(admin.accessToken).users;
    const first = (await list.get({ query: { email: prefix, limit: 2 } })).data!;
    expect(first.items).toHaveLength(2);
    const second = (await list.get({ query: { email: prefix, limit: 2, cursor: first.nextCursor! } })).data!;
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items].map((u) => u.email);
    expect(new Set(all).size).toBe(4);

    const guests = await list.get({ query: { email: prefix, role: "guest" } });
    expect(guests.data!.items).toHaveLength(3);
    const inactive = await list.get({ query: { email: prefix, isActive: false } });
    expect(inactive.data!.items.map((u) => u.email)).toEqual([`${prefix}-off@example.com`]);
    const wildcard = await list.get({ query: { email: "%" } });
    expect(wildcard.data!.items).toEqual([]);
    expect((await list.get({ query: { limit: 201 } })).status).toBe(422);
  });

  test("without filters, pages of the whole tenant hold every user once, in id order", async () => {
    const { tenant, admin } = await team();
    for (let i = 0; i < 3; i++) await t.createUser(tenant.id);
    const list = t.api(admin.accessToken).users;
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await list.get({ query: { limit: 2, ...(cursor ? { cursor } : {}) } })).data!;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const ids = (await t.db.select({ id: users.id }).from(users).where(eq(users.tenantId, tenant.id)))
      .map((row) => row.id)
      .sort();
    expect(ids).toHaveLength(7);
    expect(seen).toEqual(ids);
  });

  test("lists only the caller's tenant; a guest may not list", async () => {
    const a = await team();
    const b = await team();
    const res = await t.api(a.admin.accessToken).users.get({ query: { limit: 200 } });
    expect(res.data!.items.every((u) => u.tenantId === a.tenant.id)).toBe(true);
    expect(res.data!.items.map((u) => u.id)).not.toContain(b.admin.id);
    expect((await t.api(a.guest.accessToken).users.get({ query: {} })).status).toBe(403);
  });
});

describe("PUT /users/{id}", () => {
  test("anyone changes their own names, never their own role", async () => {
    const { guest } = await team();
    const self = t.api(guest.accessToken).users({ id: guest.id });
    const res = await self.put({ firstName: "Gus" });
    expect(res.status).toBe(200);
    expect((await userRow(guest.id))!.firstName).toBe("Gus");
    const promote = await self.put({ role: "admin" });
    expect(promote.status).toBe(403);
    expect((await userRow(guest.id))!.role).toBe("guest");
  });

  test("an admin promotes a member up to admin; the member's sessions end; audited", async () => {
    const { tenant, admin, member: m } = await team();
    const res = await t.api(admin.accessToken).users({ id: m.id }).put({ role: "admin" });
    expect(res.status).toBe(200);
    expect((await userRow(m.id))!.role).toBe("admin");
    expect(await liveSessions(m.id)).toEqual([]);
    expect((await t.api(m.accessToken).users.me.get()).status).toBe(401);
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "user.role_changed")));
    expect(event!.metadata).toMatchObject({ before: { role: "member" }, after: { role: "admin" } });
  });

  test("escalation: no super_admin outside the platform, no acting on an equal, no member editing the admin", async () => {
    const { admin, admin2, member: m } = await team();
    const tries = [
      { token: admin.accessToken, id: m.id, body: { role: "super_admin" } },
      { token: admin.accessToken, id: admin2.id, body: { role: "member" } },
      { token: admin.accessToken, id: admin2.id, body: { isActive: false } },
      { token: m.accessToken, id: admin.id, body: { firstName: "Pwned" } },
      { token: m.accessToken, id: admin.id, body: { role: "guest" } },
    ] as const;
    for (const attempt of tries) {
      const res = await t.api(attempt.token).users({ id: attempt.id }).put(attempt.body);
      expect(res.status).toBe(403);
    }
    expect(await userRow(m.id)).toMatchObject({ role: "member" });
    expect(await userRow(admin2.id)).toMatchObject({ role: "admin", isActive: true });
    expect(await userRow(admin.id)).toMatchObject({ role: "admin", firstName: null });
  });

  test("updating one field leaves the others as they were", async () => {
    const { admin, member: m } = await team();
    await t.api(admin.accessToken).users({ id: m.id }).put({ lastName: "Smith" });
    expect(await userRow(m.id)).toMatchObject({ lastName: "Smith", role: "member", isActive: true });
  });

  test("deactivating a user ends their sessions and refuses their login", async () => {
    const { tenant, admin, member: m } = await team();
    expect((await t.api(admin.accessToken).users({ id: m.id }).put({ isActive: false })).status).toBe(200);
    expect(await liveSessions(m.id)).toEqual([]);
    expect((await t.api(m.accessToken).users.me.get()).status).toBe(401);
    const login = await t
      .api()
      .auth.login.post({ email: m.email, password: TEST_PASSWORD, tenant: tenant.slug });
    expect(login.status).toBe(401);
  });
});

describe("a deactivated or deleted user's links", () => {
  test("deactivating a user discards every outstanding link; reactivating does not revive them", async () => {
    const { admin, member: m } = await team();
    const links = await issueEveryLink(t, m);
    const user = t.api(admin.accessToken).users({ id: m.id });
    const off = await user.put({ isActive: false });
    expect(off.status).toBe(200);
    expect(await unusedLinks(t, m.id)).toEqual([]);
    const on = await user.put({ isActive: true });
    expect(on.status).toBe(200);
    expect(await useLinks(t, links)).toEqual(everyLinkRefused(links));
    expect(await userRow(m.id)).toMatchObject({ email: m.email, isActive: true, emailVerifiedAt: null });
  });

  test("deleting a user discards every outstanding link with them", async () => {
    const { admin, member: m } = await team();
    const links = await issueEveryLink(t, m);
    expect((await t.api(admin.accessToken).users({ id: m.id }).delete()).status).toBe(204);
    expect(await unusedLinks(t, m.id)).toEqual([]);
    expect(await useLinks(t, links)).toEqual(everyLinkRefused(links));
  });
});

describe("DELETE /users/{id}", () => {
  test("an admin deletes a member: the row is gone, their sessions end", async () => {
    const { admin, member: m } = await team();
    expect((await t.api(admin.accessToken).users({ id: m.id }).delete()).status).toBe(204);
    expect(await userRow(m.id)).toBeUndefined();
    expect((await t.api(m.accessToken).users.me.get()).status).toBe(401);
  });

  test("nobody deletes themselves or an equal", async () => {
    const { admin, admin2 } = await team();
    const asAdmin = t.api(admin.accessToken);
    expect(problemOf(await asAdmin.users({ id: admin.id }).delete())?.code).toBe("SELF_DELETE");
    expect((await asAdmin.users({ id: admin2.id }).delete()).status).toBe(403);
    expect(await userRow(admin.id)).toBeDefined();
    expect(await userRow(admin2.id)).toBeDefined();
  });
});

describe("a user of another tenant", () => {
  test("is 404 on every user route for a tenant admin, and nothing changes", async () => {
    const a = await team();
    const b = await team();
    const victim = b.member;
    const before = await userRow(victim.id);
    const user = t.api(a.admin.accessToken).users({ id: victim.id });
    const attempts: [string, () => Promise<{ status: number }>][] = [
      ["GET /users/:id", () => user.get()],
      ["PUT /users/:id", () => user.put({ firstName: "Hijacked" })],
      ["DELETE /users/:id", () => user.delete()],
      ["GET /users/:id/sessions", () => user.sessions.get()],
      ["DELETE /users/:id/sessions", () => user.sessions.delete()],
      ["POST /users/:id/password", () => user.password.post({ newPassword: "A-Fresh-Passphrase-42" })],
      ["PATCH /users/:id/email", () => user.email.patch({ newEmail: "thief@evil.test" })],
    ];
    for (const [route, attempt] of attempts) {
      expect({ route, status: (await attempt()).status }).toEqual({ route, status: 404 });
    }
    expect(await userRow(victim.id)).toEqual(before);
    expect((await liveSessions(victim.id)).length).toBe(1);
  });
});

describe("POST /tenants/{id}/users", () => {
  test("a platform admin creates a user in a tenant; tenant admins cannot; no super_admin outside the platform", async () => {
    const { tenant, admin } = await team();
    const root = await t.platformAdmin();
    const email = `${t.unique("p")}@example.com`;
    const inTenant = t.api(root.accessToken).tenants({ id: tenant.id }).users;
    const res = await inTenant.post({ email, role: "admin" });
    expect(res.status).toBe(201);
    expect(res.data).toMatchObject({ tenantId: tenant.id, role: "admin", email });
    const other = await t.createTenant();
    const byAdmin = await t.api(admin.accessToken).tenants({ id: other.id }).users.post({ email });
    expect(byAdmin.status).toBe(403);
    const sa = await inTenant.post({ email: `${t.unique("sa")}@example.com`, role: "super_admin" });
    expect(sa.status).toBe(403);
  });
});

describe("platform admins across tenants", () => {
  test("name the tenant with X-Tenant to list and change its users; audited in that tenant", async () => {
    const { tenant, member: m } = await team();
    const root = await t.platformAdmin();
    const inTenant = t.api(root.accessToken, { "x-tenant": tenant.slug });
    const list = await inTenant.users.get({ query: { limit: 200 } });
    expect(list.status).toBe(200);
    expect(list.data!.items.every((u) => u.tenantId === tenant.id)).toBe(true);

    const res = await inTenant.users({ id: m.id }).put({ role: "admin" });
    expect(res.status).toBe(200);
    expect((await userRow(m.id))!.role).toBe("admin");
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "user.role_changed")));
    expect(events.map((e) => e.resourceId)).toContain(m.id);
  });

  test("name the tenant with X-Tenant to end a user's sessions; audited in that tenant", async () => {
    const { tenant, member: m } = await team();
    const root = await t.platformAdmin();
    const res = await t
      .api(root.accessToken, { "x-tenant": tenant.slug })
      .users({ id: m.id })
      .sessions.delete();
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ revoked: 1 });
    expect(await liveSessions(m.id)).toHaveLength(0);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "session.revoked")));
    expect(events).toHaveLength(1);
    expect(events[0]!.resourceType).toBe("session");
  });

  test("without naming the tenant, another tenant's user is 404 even for them", async () => {
    const { member: m } = await team();
    const root = await t.platformAdmin();
    expect((await t.api(root.accessToken).users({ id: m.id }).get()).status).toBe(404);
  });

  test("acting in a tenant gives no super_admin there", async () => {
    const { tenant, member: m } = await team();
    const root = await t.platformAdmin();
    const res = await t
      .api(root.accessToken, { "x-tenant": tenant.slug })
      .users({ id: m.id })
      .put({ role: "super_admin" });
    expect(res.status).toBe(403);
    expect((await userRow(m.id))!.role).toBe("member");
  });

  test("to anyone else every other tenant answers the same, existing or not, active or not", async () => {
    const { guest } = await team();
    const suspended = await t.createTenant({ status: "suspended" });
    const active = await t.createTenant();
    for (const slug of [active.slug, suspended.slug, t.unique("ghost")]) {
      const res = await t.api(guest.accessToken, { "x-tenant": slug }).users.me.get();
      expect({ slug, status: res.status, code: problemOf(res)?.code }).toEqual({
        slug,
        status: 403,
        code: "TENANT_MISMATCH",
      });
    }
  });

  test("a tenant admin naming another tenant is 403 TENANT_MISMATCH and sees nothing", async () => {
    const a = await team();
    const b = await team();
    const res = await t.api(a.admin.accessToken, { "x-tenant": b.tenant.slug }).users.get({ query: {} });
    expect(res.status).toBe(403);
    expect(problemOf(res)?.code).toBe("TENANT_MISMATCH");
  });
});

describe("races with a concurrent promotion", () => {
  test("the rank is checked again on the locked row: a target promoted meanwhile is refused", async () => {
    const { admin, member: target } = await team();
    await t.db.update(users).set({ role: "admin" }).where(eq(users.id, target.id));
    // The first read sees the target as it was before the promotion; the locked one sees it as it is.
    const stale: UnitOfWork = {
      transaction: (scope, work) =>
        t.uow.transaction(scope, (repos) =>
          work({
            ...repos,
            users: {
              ...repos.users,
              findById: async (tenantId: string, id: string) => {
                const user = await repos.users.findById(tenantId, id);
                return user && { ...user, role: "member" as const };
              },
            },
          }),
        ),
    };
    const manageUsers = t.manageUsersWith({ uow: stale });
    const tenantRef = await t.useCases.tenants.activeById(target.tenantId);
    const principal = t.signer.verify(admin.accessToken, new Date())!;
    const acting = {
      principal: {
        userId: principal.sub,
        tenantId: principal.tid,
        sessionId: principal.sid,
        role: principal.role,
      },
      home: tenantRef,
      tenant: tenantRef,
      origin: { ip: null, userAgent: null, requestId: null },
    };
    await expect(
      manageUsers.update(acting, { id: target.id, patch: { isActive: false } }),
    ).rejects.toMatchObject({
      code: "ROLE_ESCALATION",
    });
    await expect(manageUsers.delete(acting, target.id)).rejects.toMatchObject({
      code: "ROLE_ESCALATION",
    });
    expect(await userRow(target.id)).toMatchObject({ role: "admin", isActive: true });
  });
});

describe("links requested on someone else's behalf", () => {
  test("an email change an admin requested for a member dies when the admin is demoted", async () => {
    const { tenant, admin, member: m } = await team();
    const newEmail = `${t.unique("takeover")}@evil.test`;
    const requested = await t.api(admin.accessToken).users({ id: m.id }).email.patch({ newEmail });
    expect(requested.status).toBe(202);
    const link = tokenFromLink(await t.mail.waitFor(newEmail));

    const root = await t.platformAdmin();
    const demoted = await t
      .api(root.accessToken, { "x-tenant": tenant.slug })
      .users({ id: admin.id })
      .put({ role: "guest" });
    expect(demoted.status).toBe(200);

    const confirm = await t.api().auth["confirm-email-update"].post({ token: link });
    expect(confirm.status).toBe(422);
    expect(problemOf(confirm)?.code).toBe("INVALID_TOKEN");
    expect((await userRow(m.id))!.email).toBe(m.email);
  });
});

describe("invitation limits", () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await testApp({
      env: {
        RATE_LIMIT_INVITATION_USER_LIMIT: "2",
        RATE_LIMIT_INVITATION_TENANT_LIMIT: "3",
        RATE_LIMIT_INVITATION_WINDOW_SECONDS: "3600",
      },
    });
  });

  async function adminOf(tenant: { id: string; slug: string }) {
    const admin = await limited.createUser(tenant.id, { role: "admin" });
    return { ...admin, ...(await limited.login(tenant.slug, admin.email)) };
  }
  const create = (token: string, body: { email: string; password?: string }) =>
    limited.api(token).users.post(body);
  const rowsWithEmail = (email: string) => limited.db.select().from(users).where(eq(users.email, email));
  const createdEvents = (tenantId: string) =>
    limited.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "user.created")));

  test("a caller past their limit is 429 RATE_LIMITED with Retry-After; nothing is created or mailed", async () => {
    const tenant = await limited.createTenant();
    const admin = await adminOf(tenant);
    const invited = `${limited.unique("invited")}@example.com`;
    const withPassword = `${limited.unique("pw")}@example.com`;
    const refused = `${limited.unique("refused")}@example.com`;
    expect((await create(admin.accessToken, { email: invited })).status).toBe(201);
    expect(
      (await create(admin.accessToken, { email: withPassword, password: "A-Fresh-Passphrase-42" })).status,
    ).toBe(201);

    const res = await create(admin.accessToken, { email: refused });
    expect(res.status).toBe(429);
    const headers = res.response.headers;
    expect(headers.get("content-type")).toStartWith("application/problem+json");
    expect(problemOf(res)).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    expect(problemOf(res)?.detail).toContain("You have created too many users");
    const retryAfter = Number(headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(headers.get("ratelimit-limit")).toBe("2");

    expect(await rowsWithEmail(refused)).toEqual([]);
    expect(limited.mail.to(refused)).toEqual([]);
    expect((await limited.mail.waitFor(invited)).subject).toContain("invited");
    expect((await limited.mail.waitFor(withPassword)).subject).toBe("Verify your email address");
    expect(await createdEvents(tenant.id)).toHaveLength(2);
    const trips = await limited.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "abuse.rate_limited")));
    expect(trips).toEqual([
      expect.objectContaining({
        actorId: admin.id,
        resourceId: "invitation",
        outcome: "denied",
        metadata: expect.objectContaining({ scope: "caller" }),
      }),
    ]);
  });

  test("the tenant's limit holds across its admins; a caller past their own does not spend it; other tenants are unaffected", async () => {
    const tenant = await limited.createTenant();
    const first = await adminOf(tenant);
    const second = await adminOf(tenant);
    for (let i = 0; i < 2; i++) {
      expect((await create(first.accessToken, { email: `${limited.unique("a")}@example.com` })).status).toBe(
        201,
      );
    }
    for (let i = 0; i < 3; i++) {
      const refused = await create(first.accessToken, { email: `${limited.unique("a")}@example.com` });
      expect(refused.status).toBe(429);
    }
    expect((await create(second.accessToken, { email: `${limited.unique("b")}@example.com` })).status).toBe(
      201,
    );

    const email = `${limited.unique("b")}@example.com`;
    const overTenant = await create(second.accessToken, { email });
    expect(overTenant.status).toBe(429);
    expect(problemOf(overTenant)?.code).toBe("RATE_LIMITED");
    expect(problemOf(overTenant)?.detail).toContain("in this tenant");
    expect(await rowsWithEmail(email)).toEqual([]);
    expect(await createdEvents(tenant.id)).toHaveLength(3);

    const other = await limited.createTenant();
    const stranger = await adminOf(other);
    expect((await create(stranger.accessToken, { email: `${limited.unique("c")}@example.com` })).status).toBe(
      201,
    );
  });

  test("a platform admin creating users in a tenant spends that tenant's allowance", async () => {
    const tenant = await limited.createTenant();
    const root = await limited.platformAdmin();
    for (let i = 0; i < 2; i++) {
      const res = await limited
        .api(root.accessToken)
        .tenants({ id: tenant.id })
        .users.post({ email: `${limited.unique("p")}@example.com` });
      expect(res.status).toBe(201);
    }
    const admin = await adminOf(tenant);
    expect((await create(admin.accessToken, { email: `${limited.unique("t")}@example.com` })).status).toBe(
      201,
    );
    const refused = await create(admin.accessToken, { email: `${limited.unique("t")}@example.com` });
    expect(refused.status).toBe(429);
    expect(await createdEvents(tenant.id)).toHaveLength(3);
  });
});
