import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, featureFlags, segments } from "../../src/adapters/db/schema";
import { FLAG_LIMITS } from "../../src/core/domain/flags/limits";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf, type TypedApi } from "../support/typed-client";

allowDatabaseStartup();

let t: TestApp;
let root: { accessToken: string };
beforeAll(async () => {
  t = await testApp();
  root = await t.platformAdmin();
});

const norway = [{ contextName: "country", operator: "IN", values: ["NO"] }];

async function createSegment(token: string, body: Parameters<TypedApi["features"]["segments"]["post"]>[0]) {
  const res = await t.api(token).features.segments.post(body);
  if (!res.data) throw new Error(`create segment: ${res.status} ${JSON.stringify(res.error?.value)}`);
  return res.data;
}

async function createFlag(token: string, body: Parameters<TypedApi["features"]["post"]>[0]) {
  const res = await t.api(token).features.post(body);
  if (!res.data) throw new Error(`create flag: ${res.status} ${JSON.stringify(res.error?.value)}`);
  return res.data;
}

async function enabledFor(token: string, key: string, country: string) {
  const res = await t.api(token).features.evaluate.post({ key, context: { properties: { country } } });
  return res.data!.items[0]!.enabled;
}

describe("segments", () => {
  test("a flag using a segment follows the segment's constraints, and its changes at once", async () => {
    const { tenant, admin, member } = await t.team();
    const segment = await createSegment(admin.accessToken, {
      name: "nordics",
      constraints: norway,
    });
    const flag = await createFlag(admin.accessToken, {
      key: t.unique("nordic"),
      enabled: true,
      strategies: [{ name: "default", segments: [segment.id] }],
    });
    expect(await enabledFor(member.accessToken, flag.key, "NO")).toBe(true);
    expect(await enabledFor(member.accessToken, flag.key, "SE")).toBe(false);

    const put = await t
      .api(admin.accessToken)
      .features.segments({ id: segment.id })
      .put({ constraints: [{ contextName: "country", operator: "IN", values: ["NO", "SE"] }] });
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
    const segment = await createSegment(admin.accessToken, {
      name: "used",
      constraints: norway,
    });
    const flag = await createFlag(admin.accessToken, {
      key: t.unique("uses"),
      strategies: [{ name: "default", segments: [segment.id] }],
    });
    const api = t.api(admin.accessToken);
    const refused = await api.features.segments({ id: segment.id }).delete();
    expect(refused.status).toBe(409);
    expect(problemOf(refused)?.code).toBe("SEGMENT_IN_USE");
    await api.features({ id: flag.id }).delete();
    const done = await api.features.segments({ id: segment.id }).delete();
    expect(done.status).toBe(204);
    expect(await t.db.select().from(segments).where(eq(segments.id, segment.id))).toHaveLength(0);
  });

  test("names are unique per tenant: 409 SEGMENT_NAME_TAKEN", async () => {
    const { admin } = await t.team();
    await createSegment(admin.accessToken, { name: "same", constraints: [] });
    const again = await t.api(admin.accessToken).features.segments.post({ name: "same", constraints: [] });
    expect(again.status).toBe(409);
    expect(problemOf(again)?.code).toBe("SEGMENT_NAME_TAKEN");
  });

  test("invalid constraints: 422 INVALID_SEGMENT naming the field", async () => {
    const { admin } = await t.team();
    const res = await t.api(admin.accessToken).features.segments.post({
      name: "bad",
      constraints: [{ contextName: "v", operator: "SEMVER_EQ", value: "one" }],
    });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.code).toBe("INVALID_SEGMENT");
    expect(problemOf(res)?.errors?.[0]?.field).toBe("constraints.0.value");
  });

  test("another tenant's segment is 404, and its flags cannot refer to it", async () => {
    const owner = await t.team();
    const attacker = await t.team();
    const segment = await createSegment(owner.admin.accessToken, {
      name: "private",
      constraints: norway,
    });
    const asAttacker = t.api(attacker.admin.accessToken);
    const theirs = asAttacker.features.segments({ id: segment.id });
    expect((await theirs.get()).status).toBe(404);
    expect((await theirs.delete()).status).toBe(404);
    const flag = await asAttacker.features.post({
      key: "borrow",
      strategies: [{ name: "default", segments: [segment.id] }],
    });
    expect(flag.status).toBe(422);
    expect(problemOf(flag)?.code).toBe("INVALID_FLAG");
  });

  test("a platform-wide segment serves every tenant's flags; tenant admins cannot change it", async () => {
    const segment = await createSegment(root.accessToken, {
      name: t.unique("everywhere"),
      constraints: norway,
      platform: true,
    });
    const { admin, member } = await t.team();
    const flag = await createFlag(admin.accessToken, {
      key: t.unique("shared"),
      enabled: true,
      strategies: [{ name: "default", segments: [segment.id] }],
    });
    expect(await enabledFor(member.accessToken, flag.key, "NO")).toBe(true);
    const put = await t.api(admin.accessToken).features.segments({ id: segment.id }).put({ constraints: [] });
    expect(put.status).toBe(403);
  });
});

describe("segments count toward what a strategy checks", () => {
  const constraintsOf = (n: number, prefix = "c") =>
    Array.from({ length: n }, (_, i) => ({ contextName: `${prefix}${i}`, operator: "IN", values: ["x"] }));
  const limit = FLAG_LIMITS.constraintsPerStrategy;

  test("a strategy over the bound with its segments' constraints: 422 INVALID_FLAG on its segments", async () => {
    const { tenant, admin } = await t.team();
    const segment = await createSegment(admin.accessToken, {
      name: "half",
      constraints: constraintsOf(limit / 2),
    });
    const res = await t.api(admin.accessToken).features.post({
      key: t.unique("over"),
      strategies: [
        { name: "default", constraints: constraintsOf(limit / 2 + 1, "own"), segments: [segment.id] },
      ],
    });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.code).toBe("INVALID_FLAG");
    expect(problemOf(res)?.errors?.map((e) => e.field)).toEqual(["strategies.0.segments"]);
    expect(await t.db.select().from(featureFlags).where(eq(featureFlags.tenantId, tenant.id))).toHaveLength(
      0,
    );
  });

  test("a segment change that would push a flag using it over the bound: 422 INVALID_SEGMENT, unchanged", async () => {
    const { admin } = await t.team();
    const segment = await createSegment(admin.accessToken, {
      name: "grows",
      constraints: constraintsOf(2),
    });
    const key = t.unique("full");
    await createFlag(admin.accessToken, {
      key,
      strategies: [{ name: "default", constraints: constraintsOf(limit - 2, "own"), segments: [segment.id] }],
    });
    const own = t.api(admin.accessToken).features.segments({ id: segment.id });
    const res = await own.put({ constraints: constraintsOf(3) });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.code).toBe("INVALID_SEGMENT");
    expect(problemOf(res)?.errors).toEqual([
      { field: "constraints", message: expect.stringContaining(`"${key}"`) },
    ]);
    const [row] = await t.db.select().from(segments).where(eq(segments.id, segment.id));
    expect(row?.constraints).toHaveLength(2);
    const shrink = await own.put({ constraints: constraintsOf(1) });
    expect(shrink.status).toBe(200);
  });

  test("a platform-wide segment change that would push a tenant's flag over: refused without its key", async () => {
    const segment = await createSegment(root.accessToken, {
      name: t.unique("shared"),
      constraints: constraintsOf(1),
      platform: true,
    });
    const { admin } = await t.team();
    const key = t.unique("tenant-secret");
    await createFlag(admin.accessToken, {
      key,
      strategies: [{ name: "default", constraints: constraintsOf(limit - 1, "own"), segments: [segment.id] }],
    });
    const res = await t
      .api(root.accessToken)
      .features.segments({ id: segment.id })
      .put({ constraints: constraintsOf(2) });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.code).toBe("INVALID_SEGMENT");
    expect(problemOf(res)?.errors?.[0]?.message).toContain("1 of other tenants");
    expect(JSON.stringify(res.error?.value)).not.toContain(key);
    const [row] = await t.db.select().from(segments).where(eq(segments.id, segment.id));
    expect(row?.constraints).toHaveLength(1);
  });

  test("a pattern RE2 refuses: 422 INVALID_SEGMENT naming the constraint, nothing stored", async () => {
    const { tenant, admin } = await t.team();
    const res = await t.api(admin.accessToken).features.segments.post({
      name: "lookaround",
      constraints: [...norway, { contextName: "email", operator: "REGEX", value: "^(?!admin)" }],
    });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.code).toBe("INVALID_SEGMENT");
    expect(problemOf(res)?.errors).toEqual([
      { field: "constraints.1.value", message: expect.stringContaining("RE2") },
    ]);
    expect(await t.db.select().from(segments).where(eq(segments.tenantId, tenant.id))).toHaveLength(0);
  });
});
