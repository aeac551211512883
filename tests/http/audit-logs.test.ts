import { beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import type { AuditEventInput } from "../../src/core/domain/audit";
import { tenantScope } from "../../src/core/domain/data-scope";
import { type TestApp, testApp } from "../support/app";
import { eventsAfter, eventsOf, lastSeq, tamper } from "../support/audit";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf, type TypedApi } from "../support/typed-client";

allowDatabaseStartup();

let t: TestApp;
let root: { accessToken: string };
beforeAll(async () => {
  t = await testApp();
  root = await t.platformAdmin();
});

const origin = { ip: "198.51.100.7", userAgent: "seed", requestId: "seed-1" };

async function tenantWithAdmin() {
  const tenant = await t.createTenant();
  const admin = await t.createUser(tenant.id, { role: "admin" });
  const member = await t.createUser(tenant.id, { role: "member" });
  return {
    tenant,
    admin: { ...admin, ...(await t.login(tenant.slug, admin.email)) },
    member: { ...member, ...(await t.login(tenant.slug, member.email)) },
  };
}

/** Appends events straight to the chain, each as given. */
async function seed(tenantId: string, events: Partial<AuditEventInput>[]) {
  for (const event of events) {
    await t.uow.transaction(tenantScope(tenantId), (r) =>
      r.audit.append(
        {
          tenantId,
          actor: { type: "user", id: "someone", display: null },
          action: "test.event",
          resource: { type: "thing", id: null },
          outcome: "success",
          ...event,
        },
        origin,
      ),
    );
  }
}

type LogQuery = NonNullable<Parameters<TypedApi["audit"]["logs"]["get"]>[0]>["query"];
const logs = (token: string, query: LogQuery = {}) => t.api(token).audit.logs.get({ query });
const verify = (token: string, tenantId?: string) =>
  t.api(token).audit.verify.get({ query: tenantId ? { tenantId } : {} });

describe("GET /audit/logs", () => {
  test("an admin reads their tenant's log newest first, every field of each event", async () => {
    const { tenant, admin } = await tenantWithAdmin();
    await seed(tenant.id, [{ action: "user.updated", metadata: { before: { role: "member" } } }]);
    const res = await logs(admin.accessToken);
    expect(res.status).toBe(200);
    const stored = await eventsAfter(t.db, tenant.id);
    expect(res.data!.items.map((e) => e.seq)).toEqual(stored.map((e) => e.seq).reverse());
    const newest = stored.at(-1)!;
    expect(res.data!.items[0]).toEqual({
      id: newest.id,
      tenantId: tenant.id,
      seq: newest.seq,
      actor: { type: "user", id: "someone", display: null },
      action: "user.updated",
      resource: { type: "thing", id: null },
      outcome: "success",
      ip: "198.51.100.7",
      userAgent: "seed",
      requestId: "seed-1",
      metadata: { before: { role: "member" } },
      createdAt: newest.createdAt.toISOString(),
      prevHash: newest.prevHash,
      hash: newest.hash,
    });
    expect(res.data!.nextCursor).toBeNull();
  });

  test("filters: exact and prefix action, actor, resource, outcome, time range", async () => {
    const { tenant, admin } = await tenantWithAdmin();
    await seed(tenant.id, [
      { action: "auth.login.failed", outcome: "failure", actor: { type: "user", id: "a1", display: null } },
      { action: "auth.logout", actor: { type: "user", id: "a2", display: null } },
      { action: "user.created", resource: { type: "user", id: "u1" } },
      { action: "user.updated", resource: { type: "user", id: "u2" }, outcome: "denied" },
      { action: "authz.other" },
    ]);
    const all = (await eventsAfter(t.db, tenant.id)).reverse();
    const seqsOf = async (query: LogQuery) => {
      const res = await logs(admin.accessToken, query);
      expect(res.status).toBe(200);
      return res.data!.items.map((e) => e.seq);
    };
    const expected = (keep: (e: (typeof all)[number]) => boolean) => all.filter(keep).map((e) => e.seq);

    expect(await seqsOf({ action: "auth.logout" })).toEqual(expected((e) => e.action === "auth.logout"));
    // A prefix stops at the dot: authz.other is not an auth.* action.
    expect(await seqsOf({ action: "auth.*" })).toEqual(expected((e) => e.action.startsWith("auth.")));
    expect(await seqsOf({ action: "auth.*" })).not.toContain(expected((e) => e.action === "authz.other")[0]);
    expect(await seqsOf({ actorId: "a1" })).toEqual(expected((e) => e.actorId === "a1"));
    expect(await seqsOf({ resourceType: "user", resourceId: "u2" })).toEqual(
      expected((e) => e.resourceId === "u2"),
    );
    expect(await seqsOf({ resourceType: "user" })).toEqual(expected((e) => e.resourceType === "user"));
    expect(await seqsOf({ outcome: "denied" })).toEqual(expected((e) => e.outcome === "denied"));
    expect(await seqsOf({ outcome: "failure", action: "auth.*" })).toEqual(
      expected((e) => e.outcome === "failure" && e.action.startsWith("auth.")),
    );

    const from = all.find((e) => e.action === "user.created")!.createdAt;
    const to = all.find((e) => e.action === "authz.other")!.createdAt;
    const inRange = (e: (typeof all)[number]) => e.createdAt >= from && e.createdAt < to;
    expect(await seqsOf({ from: from.toISOString(), to: to.toISOString() })).toEqual(expected(inRange));
    expect(await seqsOf({ from: from.toISOString() })).toEqual(expected((e) => e.createdAt >= from));
  });

  test("cursor pages cover the log once, newest first, and stay stable while events arrive", async () => {
    const { tenant, admin } = await tenantWithAdmin();
    await seed(
      tenant.id,
      Array.from({ length: 7 }, (_, i) => ({ metadata: { i } })),
    );
    const expected = (await eventsAfter(t.db, tenant.id)).map((e) => e.seq).reverse();

    const seen: number[] = [];
    const pageAfter = (cursor: string | null) =>
      logs(admin.accessToken, { limit: 3, cursor: cursor ?? undefined });
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await pageAfter(cursor);
      expect(res.status).toBe(200);
      const page = res.data!;
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((e) => e.seq));
      cursor = page.nextCursor;
      // New events after the first page do not shift the later pages.
      if (pages++ === 0) await seed(tenant.id, [{ action: "test.late" }]);
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 3));
  });

  test("the default page is 50 events", async () => {
    const { tenant, admin } = await tenantWithAdmin();
    await seed(
      tenant.id,
      Array.from({ length: 55 }, () => ({})),
    );
    const res = await logs(admin.accessToken);
    expect(res.data!.items).toHaveLength(50);
    expect(res.data!.nextCursor).toEqual(expect.any(String));
  });

  // Raw query strings: some of these are outside the query type, which is the point.
  test.each([
    ["?limit=201", "VALIDATION_FAILED"],
    ["?limit=0", "VALIDATION_FAILED"],
    ["?action=auth*", "INVALID_AUDIT_FILTER"],
    ["?action=auth.%25", "INVALID_AUDIT_FILTER"],
    ["?outcome=maybe", "VALIDATION_FAILED"],
    ["?from=yesterday", "VALIDATION_FAILED"],
    ["?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "INVALID_AUDIT_FILTER"],
    ["?cursor=bm90LWEtY3Vyc29y", "INVALID_CURSOR"],
    ["?tenantId=not-a-uuid", "VALIDATION_FAILED"],
    ["?colour=blue", "VALIDATION_FAILED"],
  ])("a bad filter %s is a 422 problem %s", async (query, code) => {
    const { admin } = await tenantWithAdmin();
    const res = await t.call("GET", `/api/v1/audit/logs${query}`, { token: admin.accessToken });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.code).toBe(code);
  });

  test("without a token: 401", async () => {
    expect((await t.api().audit.logs.get({ query: {} })).status).toBe(401);
  });
});

describe("tenant scoping", () => {
  test("a tenant's log holds none of another tenant's events", async () => {
    const a = await tenantWithAdmin();
    const b = await tenantWithAdmin();
    await seed(b.tenant.id, [{ action: "secret.b" }]);
    const res = await logs(a.admin.accessToken, { limit: 200 });
    expect(res.data!.items.every((e) => e.tenantId === a.tenant.id)).toBe(true);
    expect(res.data!.items.some((e) => e.action === "secret.b")).toBe(false);
  });

  test("a tenant admin naming another tenant gets 403, and the attempt is recorded in their own tenant", async () => {
    const a = await tenantWithAdmin();
    const b = await tenantWithAdmin();
    const bBefore = await lastSeq(t.db, b.tenant.id);
    const recorded = await eventsOf(t.db, a.tenant.id, async () => {
      const res = await logs(a.admin.accessToken, { tenantId: b.tenant.id });
      expect(res.status).toBe(403);
      expect(problemOf(res)?.code).toBe("FORBIDDEN");
      expect(JSON.stringify(res.error?.value)).not.toContain(b.tenant.id);
    });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      action: "access.denied",
      outcome: "denied",
      actorType: "user",
      actorId: a.admin.id,
      resourceType: "endpoint",
      resourceId: "GET /api/v1/audit/logs",
      metadata: { code: "FORBIDDEN" },
    });
    expect(await lastSeq(t.db, b.tenant.id)).toBe(bBefore);
  });

  test("a tenant admin naming a tenant that does not exist gets the same 403", async () => {
    const a = await tenantWithAdmin();
    const res = await logs(a.admin.accessToken, { tenantId: Bun.randomUUIDv7() });
    expect(res.status).toBe(403);
    expect(problemOf(res)?.code).toBe("FORBIDDEN");
  });

  test("a tenant admin cannot reach another tenant's log through X-Tenant either", async () => {
    const a = await tenantWithAdmin();
    const b = await tenantWithAdmin();
    const res = await t.api(a.admin.accessToken, { "x-tenant": b.tenant.slug }).audit.logs.get({ query: {} });
    expect(res.status).toBe(403);
    expect(problemOf(res)?.code).toBe("TENANT_MISMATCH");
  });

  test("a member without audit:read gets 403, recorded once as denied", async () => {
    const { tenant, member } = await tenantWithAdmin();
    const recorded = await eventsOf(t.db, tenant.id, async () => {
      const res = await logs(member.accessToken);
      expect(res.status).toBe(403);
      expect(problemOf(res)?.code).toBe("FORBIDDEN");
    });
    expect(recorded.map((e) => [e.action, e.outcome, e.actorId])).toEqual([
      ["access.denied", "denied", member.id],
    ]);
  });

  test("a platform admin reads another tenant's log, and the read is recorded in that tenant", async () => {
    const b = await tenantWithAdmin();
    await seed(b.tenant.id, [{ action: "thing.happened" }]);
    const recorded = await eventsOf(t.db, b.tenant.id, async () => {
      const res = await logs(root.accessToken, { tenantId: b.tenant.id, action: "thing.*" });
      expect(res.status).toBe(200);
      expect(res.data!.items.map((e) => e.action)).toEqual(["thing.happened"]);
    });
    expect(recorded).toHaveLength(1);
    const platform = (await t.useCases.tenants.activeBySlug("platform")).id;
    expect(recorded[0]).toMatchObject({
      action: "audit.read",
      outcome: "success",
      actorType: "user",
      resourceType: "audit_log",
      resourceId: b.tenant.id,
      metadata: { query: { action: "thing.*" }, readerTenantId: platform },
    });
  });

  test("a platform admin reading the platform's own log is not recorded as a read", async () => {
    const platform = (await t.useCases.tenants.activeBySlug("platform")).id;
    const recorded = await eventsOf(t.db, platform, async () => {
      expect((await logs(root.accessToken, { limit: 1 })).status).toBe(200);
    });
    expect(recorded).toEqual([]);
  });

  test("a platform admin reads a suspended tenant's log; an unknown tenant is 404", async () => {
    const suspended = await t.createTenant({ status: "suspended" });
    await seed(suspended.id, [{ action: "before.suspension" }]);
    const res = await logs(root.accessToken, { tenantId: suspended.id, action: "before.suspension" });
    expect(res.status).toBe(200);
    expect(res.data!.items).toHaveLength(1);
    const unknown = await logs(root.accessToken, { tenantId: Bun.randomUUIDv7() });
    expect(unknown.status).toBe(404);
    expect(problemOf(unknown)?.code).toBe("TENANT_NOT_FOUND");
  });
});

describe("GET /audit/verify", () => {
  test("reports a valid chain and how many events it checked", async () => {
    const { tenant, admin } = await tenantWithAdmin();
    await seed(tenant.id, [{}, {}, {}]);
    const res = await verify(admin.accessToken);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ valid: true, checked: await lastSeq(t.db, tenant.id) });
  });

  test("reports the first invalid event of a tampered chain", async () => {
    const { tenant, admin } = await tenantWithAdmin();
    await seed(tenant.id, [{}, {}, {}]);
    const [, second] = await eventsAfter(t.db, tenant.id);
    await tamper(t.db, sql`update audit_events set actor_id = 'nobody' where id = ${second!.id}`);
    const res = await verify(admin.accessToken);
    expect(res.data).toEqual({
      valid: false,
      checked: second!.seq - 1,
      firstInvalid: { seq: second!.seq, id: second!.id, reason: "hash_mismatch" },
    });
  });

  test("a platform admin verifies another tenant's chain, recorded there; a member is refused", async () => {
    const b = await tenantWithAdmin();
    const recorded = await eventsOf(t.db, b.tenant.id, async () => {
      const res = await verify(root.accessToken, b.tenant.id);
      expect(res.status).toBe(200);
      expect(res.data?.valid).toBe(true);
    });
    expect(recorded.map((e) => e.action)).toEqual(["audit.verified"]);
    const denied = await verify(b.member.accessToken);
    expect(denied.status).toBe(403);
  });
});

describe("GET /audit/export", () => {
  const exportOf = async (token: string, query = "") => {
    const response = await t.app.handle(
      new Request(`http://localhost/api/v1/audit/export${query}`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    return { response, text: await response.text() };
  };

  test("streams every event as NDJSON, oldest first, across batches", async () => {
    const { tenant, admin } = await tenantWithAdmin();
    await seed(
      tenant.id,
      Array.from({ length: 520 }, (_, i) => ({ metadata: { i } })),
    );
    const { response, text } = await exportOf(admin.accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    const stored = await eventsAfter(t.db, tenant.id);
    expect(lines.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    expect(lines[0]).toMatchObject({
      id: stored[0]!.id,
      hash: stored[0]!.hash,
      prevHash: stored[0]!.prevHash,
    });
  });

  test("from and to bound the export", async () => {
    const { tenant, admin } = await tenantWithAdmin();
    await seed(
      tenant.id,
      Array.from({ length: 6 }, (_, i) => ({ metadata: { i } })),
    );
    const stored = await eventsAfter(t.db, tenant.id);
    const from = stored[2]!.createdAt;
    const to = stored[5]!.createdAt;
    const { text } = await exportOf(admin.accessToken, `?from=${from.toISOString()}&to=${to.toISOString()}`);
    const seqs = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line).seq);
    expect(seqs).toEqual(stored.filter((e) => e.createdAt >= from && e.createdAt < to).map((e) => e.seq));
  });

  test("a member is refused with a problem, not a stream; a platform admin's export of a tenant is recorded", async () => {
    const b = await tenantWithAdmin();
    const { response } = await exportOf(b.member.accessToken);
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const recorded = await eventsOf(t.db, b.tenant.id, async () => {
      const { response } = await exportOf(root.accessToken, `?tenantId=${b.tenant.id}`);
      expect(response.status).toBe(200);
    });
    expect(recorded.map((e) => e.action)).toEqual(["audit.exported"]);
  });
});
