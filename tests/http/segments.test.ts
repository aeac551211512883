import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, featureFlags, segments } from "../../src/adapters/db/schema";
import { FLAG_LIMITS } from "../../src/core/domain/flags/limits";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
let root: { accessToken: string };
beforeAll(async () => {
  t = await testApp();
  root = await t.platformAdmin();
});

const norway = [{ contextName: "country", operator: "IN", values: ["NO"] }];

async function create(token: string, path: string, body: Record<string, unknown>) {
  const res = await t.call("POST", path, { token, body });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; key: string };
}

async function enabledFor(token: string, key: string, country: string) {
  const res = await t.call("POST", "/api/v1/features/evaluate", {
    token,
    body: { key, context: { properties: { country } } },
  });
  return res.body.items[0].enabled as boolean;
}

describe("segments", () => {
  test("a flag using a segment follows the segment's constraints, and its changes at once", async () => {
    const { tenant, admin, member } = await t.team();
    const segment = await create(admin.accessToken, "/api/v1/features/segments", {
      name: "nordics",
      constraints: norway,
    });
    const flag = await create(admin.accessToken, "/api/v1/features", {
      key: t.unique("nordic"),
      enabled: true,
      strategies: [{ name: "default", segments: [segment.id] }],
    });
    expect(await enabledFor(member.accessToken, flag.key, "NO")).toBe(true);
    expect(await enabledFor(member.accessToken, flag.key, "SE")).toBe(false);

    const put = await t.call("PUT", `/api/v1/features/segments/${segment.id}`, {
      token: admin.accessToken,
      body: { constraints: [{ contextName: "country", operator: "IN", values: ["NO", "SE"] }] },
    });
    expect(put.status).toBe(200);
    expect(await enabledFor(member.accessToken, flag.key, "SE")).toBe(true);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.resourceType, "segment")));
    expect(events.map((e) => e.action).sort()).toEqual(["segment.created", "segment.updated"]);
  });

  test("a segment in use cannot be deleted: 409 SEGMENT_IN_USE; unused it can (204)", async () => {
    const { admin } = await t.team();
    const segment = await create(admin.accessToken, "/api/v1/features/segments", {
      name: "used",
      constraints: norway,
    });
    const flag = await create(admin.accessToken, "/api/v1/features", {
      key: t.unique("uses"),
      strategies: [{ name: "default", segments: [segment.id] }],
    });
    const refused = await t.call("DELETE", `/api/v1/features/segments/${segment.id}`, {
      token: admin.accessToken,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("SEGMENT_IN_USE");
    await t.call("DELETE", `/api/v1/features/${flag.id}`, { token: admin.accessToken });
    const done = await t.call("DELETE", `/api/v1/features/segments/${segment.id}`, {
      token: admin.accessToken,
    });
    expect(done.status).toBe(204);
    expect(await t.db.select().from(segments).where(eq(segments.id, segment.id))).toHaveLength(0);
  });

  test("names are unique per tenant: 409 SEGMENT_NAME_TAKEN", async () => {
    const { admin } = await t.team();
    await create(admin.accessToken, "/api/v1/features/segments", { name: "same", constraints: [] });
    const again = await t.call("POST", "/api/v1/features/segments", {
      token: admin.accessToken,
      body: { name: "same", constraints: [] },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("SEGMENT_NAME_TAKEN");
  });

  test("invalid constraints: 422 INVALID_SEGMENT naming the field", async () => {
    const { admin } = await t.team();
    const res = await t.call("POST", "/api/v1/features/segments", {
      token: admin.accessToken,
      body: { name: "bad", constraints: [{ contextName: "v", operator: "SEMVER_EQ", value: "one" }] },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("INVALID_SEGMENT");
    expect(res.body.errors[0].field).toBe("constraints.0.value");
  });

  test("another tenant's segment is 404, and its flags cannot refer to it", async () => {
    const owner = await t.team();
    const attacker = await t.team();
    const segment = await create(owner.admin.accessToken, "/api/v1/features/segments", {
      name: "private",
      constraints: norway,
    });
    for (const method of ["GET", "DELETE"]) {
      const res = await t.call(method, `/api/v1/features/segments/${segment.id}`, {
        token: attacker.admin.accessToken,
      });
      expect(res.status).toBe(404);
    }
    const flag = await t.call("POST", "/api/v1/features", {
      token: attacker.admin.accessToken,
      body: { key: "borrow", strategies: [{ name: "default", segments: [segment.id] }] },
    });
    expect(flag.status).toBe(422);
    expect(flag.body.code).toBe("INVALID_FLAG");
  });

  test("a platform-wide segment serves every tenant's flags; tenant admins cannot change it", async () => {
    const segment = await create(root.accessToken, "/api/v1/features/segments", {
      name: t.unique("everywhere"),
      constraints: norway,
      platform: true,
    });
    const { admin, member } = await t.team();
    const flag = await create(admin.accessToken, "/api/v1/features", {
      key: t.unique("shared"),
      enabled: true,
      strategies: [{ name: "default", segments: [segment.id] }],
    });
    expect(await enabledFor(member.accessToken, flag.key, "NO")).toBe(true);
    const put = await t.call("PUT", `/api/v1/features/segments/${segment.id}`, {
      token: admin.accessToken,
      body: { constraints: [] },
    });
    expect(put.status).toBe(403);
  });
});

describe("segments count toward what a strategy checks", () => {
  const constraintsOf = (n: number, prefix = "c") =>
    Array.from({ length: n }, (_, i) => ({ contextName: `${prefix}${i}`, operator: "IN", values: ["x"] }));
  const limit = FLAG_LIMITS.constraintsPerStrategy;

  test("a strategy over the bound with its segments' constraints: 422 INVALID_FLAG on its segments", async () => {
    const { tenant, admin } = await t.team();
    const segment = await create(admin.accessToken, "/api/v1/features/segments", {
      name: "half",
      constraints: constraintsOf(limit / 2),
    });
    const res = await t.call("POST", "/api/v1/features", {
      token: admin.accessToken,
      body: {
        key: t.unique("over"),
        strategies: [
          { name: "default", constraints: constraintsOf(limit / 2 + 1, "own"), segments: [segment.id] },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("INVALID_FLAG");
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(["strategies.0.segments"]);
    expect(await t.db.select().from(featureFlags).where(eq(featureFlags.tenantId, tenant.id))).toHaveLength(
      0,
    );
  });

  test("a segment change that would push a flag using it over the bound: 422 INVALID_SEGMENT, unchanged", async () => {
    const { admin } = await t.team();
    const segment = await create(admin.accessToken, "/api/v1/features/segments", {
      name: "grows",
      constraints: constraintsOf(2),
    });
    const key = t.unique("full");
    await create(admin.accessToken, "/api/v1/features", {
      key,
      strategies: [{ name: "default", constraints: constraintsOf(limit - 2, "own"), segments: [segment.id] }],
    });
    const res = await t.call("PUT", `/api/v1/features/segments/${segment.id}`, {
      token: admin.accessToken,
      body: { constraints: constraintsOf(3) },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("INVALID_SEGMENT");
    expect(res.body.errors).toEqual([{ field: "constraints", message: expect.stringContaining(`"${key}"`) }]);
    const [row] = await t.db.select().from(segments).where(eq(segments.id, segment.id));
    expect(row?.constraints).toHaveLength(2);
    const shrink = await t.call("PUT", `/api/v1/features/segments/${segment.id}`, {
      token: admin.accessToken,
      body: { constraints: constraintsOf(1) },
    });
    expect(shrink.status).toBe(200);
  });

  test("a platform-wide segment change that would push a tenant's flag over: refused without its key", async () => {
    const segment = await create(root.accessToken, "/api/v1/features/segments", {
      name: t.unique("shared"),
      constraints: constraintsOf(1),
      platform: true,
    });
    const { admin } = await t.team();
    const key = t.unique("tenant-secret");
    await create(admin.accessToken, "/api/v1/features", {
      key,
      strategies: [{ name: "default", constraints: constraintsOf(limit - 1, "own"), segments: [segment.id] }],
    });
    const res = await t.call("PUT", `/api/v1/features/segments/${segment.id}`, {
      token: root.accessToken,
      body: { constraints: constraintsOf(2) },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("INVALID_SEGMENT");
    expect(res.body.errors[0].message).toContain("1 of other tenants");
    expect(JSON.stringify(res.body)).not.toContain(key);
    const [row] = await t.db.select().from(segments).where(eq(segments.id, segment.id));
    expect(row?.constraints).toHaveLength(1);
  });

  test("a pattern RE2 refuses: 422 INVALID_SEGMENT naming the constraint, nothing stored", async () => {
    const { tenant, admin } = await t.team();
    const res = await t.call("POST", "/api/v1/features/segments", {
      token: admin.accessToken,
      body: {
        name: "lookaround",
        constraints: [...norway, { contextName: "email", operator: "REGEX", value: "^(?!admin)" }],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("INVALID_SEGMENT");
    expect(res.body.errors).toEqual([
      { field: "constraints.1.value", message: expect.stringContaining("RE2") },
    ]);
    expect(await t.db.select().from(segments).where(eq(segments.tenantId, tenant.id))).toHaveLength(0);
  });
});
