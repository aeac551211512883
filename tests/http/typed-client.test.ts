import { beforeAll, describe, expect, test } from "bun:test";
import { treaty } from "@elysiajs/eden";
import { and, eq } from "drizzle-orm";
import { whoAmI } from "../../examples/typed-client";
import { auditEvents, featureFlags, sessions, tenants, users } from "../../src/adapters/db/schema";
import type { App } from "../../src/http/app";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

/** Every route the app serves, as the app's type names it. A route missing from either side fails. */
const ROUTES = [
  "DELETE /api/v1/api-keys/:id",
  "DELETE /api/v1/features/:id",
  "DELETE /api/v1/features/segments/:id",
  "DELETE /api/v1/permissions/roles/:role/permissions/:permission",
  "DELETE /api/v1/users/:id",
  "DELETE /api/v1/users/:id/mfa",
  "DELETE /api/v1/users/me/mfa/totp",
  "POST /api/v1/auth/mfa/verify",
  "POST /api/v1/auth/find-tenants",
  "POST /api/v1/auth/signup",
  "POST /api/v1/users/me/mfa/recovery-codes",
  "POST /api/v1/users/me/mfa/totp",
  "POST /api/v1/users/me/mfa/totp/confirm",
  "DELETE /api/v1/users/:id/sessions",
  "DELETE /api/v1/users/:id/sessions/:sessionId",
  "GET /api/client/features",
  "GET /api/frontend",
  "GET /api/v1/api-keys",
  "GET /api/v1/audit/export",
  "GET /api/v1/audit/logs",
  "GET /api/v1/audit/verify",
  "GET /api/v1/auth/confirm-email-update",
  "GET /api/v1/auth/verify-email",
  "GET /api/v1/features",
  "GET /api/v1/features/:id",
  "GET /api/v1/features/:id/metrics",
  "GET /api/v1/features/segments",
  "GET /api/v1/features/segments/:id",
  "GET /api/v1/permissions",
  "GET /api/v1/permissions/roles/:role",
  "GET /api/v1/tenants",
  "GET /api/v1/tenants/:id",
  "GET /api/v1/users",
  "GET /api/v1/users/:id",
  "GET /api/v1/users/:id/sessions",
  "GET /api/v1/users/me",
  "GET /health",
  "GET /health/ready",
  "GET /metrics",
  "PATCH /api/v1/users/:id/email",
  "POST /api/client/metrics",
  "POST /api/client/register",
  "POST /api/frontend",
  "POST /api/frontend/client/metrics",
  "POST /api/v1/api-keys",
  "POST /api/v1/auth/accept-invitation",
  "POST /api/v1/auth/confirm-email-update",
  "POST /api/v1/auth/forgot-password",
  "POST /api/v1/auth/login",
  "POST /api/v1/auth/logout",
  "POST /api/v1/auth/refresh",
  "POST /api/v1/auth/resend-verification",
  "POST /api/v1/auth/reset-password",
  "POST /api/v1/auth/verify-email",
  "POST /api/v1/features",
  "POST /api/v1/features/evaluate",
  "POST /api/v1/features/segments",
  "POST /api/v1/permissions/roles/:role/permissions",
  "POST /api/v1/tenants",
  "POST /api/v1/tenants/:id/activate",
  "POST /api/v1/tenants/:id/cancel",
  "POST /api/v1/tenants/:id/suspend",
  "POST /api/v1/tenants/:id/users",
  "POST /api/v1/users",
  "POST /api/v1/users/:id/password",
  "PUT /api/v1/features/:id",
  "PUT /api/v1/features/segments/:id",
  "PUT /api/v1/permissions/roles/:role",
  "PUT /api/v1/tenants/:id",
  "PUT /api/v1/users/:id",
  "GET /api/v1/webhooks",
  "POST /api/v1/webhooks",
  "GET /api/v1/webhooks/:id",
  "PATCH /api/v1/webhooks/:id",
  "PUT /api/v1/webhooks/:id",
  "DELETE /api/v1/webhooks/:id",
  "POST /api/v1/webhooks/:id/rotate-secret",
  "POST /api/v1/webhooks/:id/test",
  "GET /api/v1/webhooks/:id/messages",
  "GET /api/v1/webhooks/:id/messages/:msgId/attempts",
  "POST /api/v1/webhooks/:id/messages/:msgId/retry",
] as const;

/**
 * The documentation page and document are not an API for clients: their plugins do not type them.
 * Nor are CORS preflights, which browsers send on their own.
 */
const UNTYPED_ROUTES = [
  "GET /docs",
  "GET /docs/assets/:name",
  "GET /openapi.json",
  "OPTIONS /",
  "OPTIONS /*",
];

type Method = "get" | "post" | "put" | "patch" | "delete";
/** "METHOD /path" for every route in the app's type (Elysia's route tree, one level per segment). */
type RoutesOf<Tree, Path extends string = ""> = {
  [K in keyof Tree & string]: K extends Method
    ? `${Uppercase<K>} ${Path}`
    : RoutesOf<Tree[K], `${Path}/${K}`>;
}[keyof Tree & string];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Fails the typecheck when a served route is missing from the app's type, or the list is stale.
const routesTyped: Same<RoutesOf<App["~Routes"]>, (typeof ROUTES)[number]> = true;

let t: TestApp;
let root: { accessToken: string };
beforeAll(async () => {
  // Every optional route on, as the app's type names them all.
  t = await testApp({ env: { SIGNUP_ENABLED: "true" } });
  root = await t.platformAdmin();
});

const auditOf = (tenantId: string, action: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)));

describe("the app's type", () => {
  test("names every route the app serves", () => {
    const served = t.app.routes.map((route) => `${route.method} ${route.path}`);
    expect(routesTyped).toBe(true);
    expect(served.filter((route) => !UNTYPED_ROUTES.includes(route)).sort()).toEqual([...ROUTES].sort());
  });

  test("treaty<App> over app.handle reads /users/me as the caller's user", async () => {
    const { tenant, member } = await t.team();
    const api = treaty<App>(t.app, { headers: { authorization: `Bearer ${member.accessToken}` } });
    const { data, status } = await api.api.v1.users.me.get();
    expect(status).toBe(200);
    const id: string = data!.id;
    expect(id).toBe(member.id);
    expect(data).toMatchObject({ tenantId: tenant.id, email: member.email, role: "member" });
  });
});

describe("typed routes", () => {
  test("a platform admin creates a tenant: the typed 201 is the stored row", async () => {
    const slug = t.unique("typed");
    const { data, status } = await t.api(root.accessToken).tenants.post({ name: "Typed", slug, plan: "pro" });
    expect(status).toBe(201);
    const [row] = await t.db.select().from(tenants).where(eq(tenants.id, data!.id));
    expect(row).toMatchObject({ slug: data!.slug, name: "Typed", plan: "pro", status: "active" });
    expect(await auditOf(data!.id, "tenant.created")).toHaveLength(1);
  });

  test("the status routes suspend, activate and cancel: each answer is the stored status, each audited", async () => {
    const tenant = await t.createTenant();
    const byId = t.api(root.accessToken).tenants({ id: tenant.id });
    const suspended = await byId.suspend.post({ reason: "unpaid" });
    expect(suspended.data?.status).toBe("suspended");
    const activated = await byId.activate.post({});
    expect(activated.data?.status).toBe("active");
    const cancelled = await byId.cancel.post({ reason: "closed" });
    expect(cancelled.data?.status).toBe("cancelled");
    const [row] = await t.db.select().from(tenants).where(eq(tenants.id, tenant.id));
    expect(row!.status).toBe("cancelled");
    for (const action of ["tenant.suspended", "tenant.activated", "tenant.cancelled"]) {
      expect(await auditOf(tenant.id, action)).toHaveLength(1);
    }
  });

  test("a platform admin creates a user in a tenant: the typed 201 is the stored user", async () => {
    const tenant = await t.createTenant();
    const email = `${t.unique("typed")}@example.com`;
    const { data, status } = await t.api(root.accessToken).tenants({ id: tenant.id }).users.post({ email });
    expect(status).toBe(201);
    const [row] = await t.db.select().from(users).where(eq(users.id, data!.id));
    expect(row).toMatchObject({ tenantId: tenant.id, email, role: "member" });
    expect(await auditOf(tenant.id, "user.created")).toHaveLength(1);
  });

  test("a flag created through the typed client is stored and evaluates by its key", async () => {
    const { tenant, admin } = await t.team();
    const api = t.api(admin.accessToken);
    const key = t.unique("typed");
    const created = await api.features.post({ key, enabled: true });
    expect(created.status).toBe(201);
    const [row] = await t.db.select().from(featureFlags).where(eq(featureFlags.id, created.data!.id));
    expect(row).toMatchObject({ tenantId: tenant.id, key, enabled: true });
    const evaluated = await api.features.evaluate.post({ keys: [key], context: {} });
    expect(evaluated.data?.items).toEqual([expect.objectContaining({ key, enabled: true })]);
  });

  test("a refusal arrives as the typed error with its problem code, and nothing is stored", async () => {
    const { member } = await t.team();
    const slug = t.unique("refused");
    const { data, error } = await t.api(member.accessToken).tenants.post({ name: "No", slug });
    expect(data).toBeNull();
    expect(error?.status).toBe(403);
    expect(error?.value).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(await t.db.select().from(tenants).where(eq(tenants.slug, slug))).toEqual([]);
  });
});

describe("the README's typed-client example", () => {
  test("signs in and reads the caller's profile through app.handle: one session stored", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id, { role: "admin" });
    const me = await whoAmI(t.app, { email: user.email, password: TEST_PASSWORD, tenant: tenant.slug });
    expect(me).toEqual({ id: user.id, email: user.email, role: "admin", tenantId: tenant.id });
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
  });

  test("works against a listening server by its URL", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (request) => t.app.handle(request) });
    try {
      const me = await whoAmI(`http://127.0.0.1:${server.port}`, {
        email: user.email,
        password: TEST_PASSWORD,
        tenant: tenant.slug,
      });
      expect(me.id).toBe(user.id);
    } finally {
      await server.stop(true);
    }
  });

  test("is the code the README shows", async () => {
    const readme = await Bun.file(new URL("../../README.md", import.meta.url)).text();
    const example = await Bun.file(new URL("../../examples/typed-client.ts", import.meta.url)).text();
    const shown = readme.split("## Typed client")[1]!.split("```ts\n")[1]!.split("```")[0]!;
    const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "");
    expect(lines(example)).toEqual(expect.arrayContaining(lines(shown)));
  });

  test("a wrong password is the problem's status and code, and no session is stored", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const attempt = whoAmI(t.app, { email: user.email, password: "Wrong-Horse-9", tenant: tenant.slug });
    await expect(attempt).rejects.toThrow("sign-in refused: 401 INVALID_CREDENTIALS");
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
  });
});
