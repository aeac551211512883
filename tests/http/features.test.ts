import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, featureFlags } from "../../src/adapters/db/schema";
import { cacheKeys } from "../../src/core/domain/cache-keys";
import { CONTEXT_LIMITS, FLAG_LIMITS } from "../../src/core/domain/flags/limits";
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

const auditOf = (tenantId: string, action: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)));

type FlagBody = Parameters<TypedApi["features"]["post"]>[0];
type EvaluationBody = Parameters<TypedApi["features"]["evaluate"]["post"]>[0];

async function createFlag(token: string, body: FlagBody) {
  const res = await t.api(token).features.post(body);
  if (!res.data) throw new Error(`create flag: ${res.status} ${JSON.stringify(res.error?.value)}`);
  return res.data;
}

async function evaluate(token: string, body: EvaluationBody) {
  const res = await t.api(token).features.evaluate.post(body);
  expect(res.status).toBe(200);
  return res.data!.items;
}

describe("creating flags", () => {
  test("an admin creates a flag: 201, stored in the tenant, audited with the definition", async () => {
    const { tenant, admin } = await t.team();
    const key = t.unique("checkout");
    const res = await t.api(admin.accessToken).features.post({
      key,
      description: "New checkout",
      enabled: true,
      strategies: [{ name: "flexibleRollout", parameters: { rollout: "50", stickiness: "default" } }],
    });
    expect(res.status).toBe(201);
    expect(res.data).toMatchObject({
      key,
      name: key,
      scope: "tenant",
      description: "New checkout",
      type: "boolean",
      enabled: true,
      version: 1,
      variants: [],
      dependencies: [],
    });
    const [row] = await t.db.select().from(featureFlags).where(eq(featureFlags.id, res.data!.id));
    expect(row).toMatchObject({ tenantId: tenant.id, key, enabled: true });
    const events = await auditOf(tenant.id, "flag.created");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: admin.id,
      actorType: "user",
      resourceType: "flag",
      resourceId: res.data!.id,
      outcome: "success",
    });
    expect(events[0]!.metadata).toMatchObject({ key, scope: "tenant", after: { key, enabled: true } });
  });

  test("a key the tenant already uses: 409 FLAG_KEY_TAKEN; another tenant may use it", async () => {
    const one = await t.team();
    const two = await t.team();
    const key = t.unique("dup");
    await createFlag(one.admin.accessToken, { key });
    const again = await t.api(one.admin.accessToken).features.post({ key });
    expect(again.status).toBe(409);
    expect(problemOf(again)?.code).toBe("FLAG_KEY_TAKEN");
    await createFlag(two.admin.accessToken, { key });
  });

  test.each([
    [
      "an unknown operator",
      {
        strategies: [
          { name: "default", constraints: [{ contextName: "plan", operator: "LIKE", values: ["x"] }] },
        ],
      },
      "strategies.0.constraints.0.operator",
    ],
    [
      "a percentage over 100",
      { strategies: [{ name: "flexibleRollout", parameters: { rollout: "101" } }] },
      "strategies.0.parameters.rollout",
    ],
    [
      "an invalid regular expression",
      {
        strategies: [
          { name: "default", constraints: [{ contextName: "email", operator: "REGEX", value: "(" }] },
        ],
      },
      "strategies.0.constraints.0.value",
    ],
    [
      "an invalid semantic version",
      {
        strategies: [
          { name: "default", constraints: [{ contextName: "v", operator: "SEMVER_GT", value: "1.x" }] },
        ],
      },
      "strategies.0.constraints.0.value",
    ],
    [
      "a dependency on a flag that does not exist",
      { dependencies: [{ feature: "no-such-parent-flag" }] },
      "dependencies.0.feature",
    ],
    [
      "a segment that does not exist",
      { strategies: [{ name: "default", segments: ["0190d1f4-0000-7000-8000-000000000000"] }] },
      "strategies.0.segments.0",
    ],
  ])("%s: 422 INVALID_FLAG naming the field", async (_name, definition, field) => {
    const { admin } = await t.team();
    const res = await t.api(admin.accessToken).features.post({ key: t.unique("bad"), ...definition });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.code).toBe("INVALID_FLAG");
    expect(problemOf(res)?.errors?.map((e) => e.field)).toContain(field);
  });

  // Raw calls: some of these bodies are outside the request type, which is the point.
  test.each([
    ["a key with spaces", { key: "has space" }],
    ["a key of 101 characters", { key: "k".repeat(101) }],
    [
      "too many strategies",
      { key: "many", strategies: Array.from({ length: 26 }, () => ({ name: "default" })) },
    ],
    [
      "too many constraint values",
      {
        key: "values",
        strategies: [
          {
            name: "default",
            constraints: [
              {
                contextName: "userId",
                operator: "IN",
                values: Array.from({ length: 1001 }, (_, i) => `${i}`),
              },
            ],
          },
        ],
      },
    ],
    ["a variant weight over 1000", { key: "weights", variants: [{ name: "a", weight: 1001 }] }],
    ["an unknown field", { key: "extra", owner: "me" }],
  ])("%s: 422 and nothing stored", async (_name, body) => {
    const { tenant, admin } = await t.team();
    const res = await t.call("POST", "/api/v1/features", { token: admin.accessToken, body });
    expect(res.status).toBe(422);
    const stored = await t.db.select().from(featureFlags).where(eq(featureFlags.tenantId, tenant.id));
    expect(stored).toHaveLength(0);
  });

  test("members read flags but may not write them: 403", async () => {
    const { member } = await t.team();
    const res = await t.api(member.accessToken).features.post({ key: "x" });
    expect(res.status).toBe(403);
    expect(problemOf(res)?.code).toBe("FORBIDDEN");
  });

  test("a tenant admin cannot create a platform-wide flag: 403, nothing stored", async () => {
    const { admin } = await t.team();
    const key = t.unique("sneaky");
    const res = await t.api(admin.accessToken).features.post({ key, platform: true, enabled: true });
    expect(res.status).toBe(403);
    expect(await t.db.select().from(featureFlags).where(eq(featureFlags.key, key))).toHaveLength(0);
  });
});

describe("tenant scoping", () => {
  test("another tenant's flag is 404 to read, change and delete, and absent from lists", async () => {
    const owner = await t.team();
    const attacker = await t.team();
    const flag = await createFlag(owner.admin.accessToken, { key: t.unique("secret"), enabled: true });
    const asAttacker = t.api(attacker.admin.accessToken);
    const theirs = asAttacker.features({ id: flag.id });
    for (const res of [await theirs.get(), await theirs.put({ enabled: false }), await theirs.delete()]) {
      expect(res.status).toBe(404);
      expect(problemOf(res)?.code).toBe("FLAG_NOT_FOUND");
    }
    const list = await asAttacker.features.get({ query: { limit: 200 } });
    expect(list.data!.items.map((f) => f.id)).not.toContain(flag.id);
    const [row] = await t.db.select().from(featureFlags).where(eq(featureFlags.id, flag.id));
    expect(row?.enabled).toBe(true);
  });

  test("evaluation never reaches another tenant's flags, whatever the body says", async () => {
    const owner = await t.team();
    const attacker = await t.team();
    const key = t.unique("private");
    await createFlag(owner.admin.accessToken, { key, enabled: true });
    expect(
      await evaluate(attacker.member.accessToken, {
        key,
        context: { properties: { tenantId: owner.tenant.id } },
      }),
    ).toEqual([{ key, enabled: false, variant: { name: "disabled", enabled: false }, reason: "not_found" }]);
    // Raw: a tenantId in the context is outside the request type, which is the point.
    const forged = await t.call("POST", "/api/v1/features/evaluate", {
      token: attacker.member.accessToken,
      body: { key, context: { tenantId: owner.tenant.id } },
    });
    expect(forged.status).toBe(422);
  });

  test("a tenant admin naming another tenant by header is refused", async () => {
    const owner = await t.team();
    const attacker = await t.team();
    const res = await t
      .api(attacker.admin.accessToken, { "x-tenant": owner.tenant.slug })
      .features.get({ query: {} });
    expect(res.status).toBe(403);
  });

  test("lists page through the tenant's flags with a cursor", async () => {
    const { admin } = await t.team();
    const keys = await Promise.all(
      [1, 2, 3].map(() => createFlag(admin.accessToken, { key: t.unique("p") })),
    );
    const seen: string[] = [];
    const list = t.api(admin.accessToken).features;
    const pageAfter = (cursor: string | null) =>
      list.get({ query: { limit: 2, cursor: cursor ?? undefined } });
    let cursor: string | null = null;
    do {
      const res = await pageAfter(cursor);
      expect(res.status).toBe(200);
      const page = res.data!;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.filter((f) => f.scope === "tenant").map((f) => f.key));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(keys.map((k) => k.key).sort());
  });
});

describe("platform-wide flags", () => {
  test("apply to every tenant without its own flag of that key; a tenant's own flag wins", async () => {
    const key = t.unique("global");
    const platformFlag = await createFlag(root.accessToken, { key, platform: true, enabled: true });
    const plain = await t.team();
    const overriding = await t.team();
    await createFlag(overriding.admin.accessToken, { key, enabled: false });

    expect((await evaluate(plain.member.accessToken, { key }))[0]).toMatchObject({
      enabled: true,
      reason: "enabled_for_all",
    });
    expect((await evaluate(overriding.member.accessToken, { key }))[0]).toMatchObject({
      enabled: false,
      reason: "disabled",
    });
    const read = await t.api(plain.member.accessToken).features({ id: platformFlag.id }).get();
    expect(read.data).toMatchObject({ key, scope: "platform" });
    const listed = await t.api(overriding.admin.accessToken).features.get({ query: { limit: 200 } });
    const withKey = listed.data!.items.filter((f) => f.key === key);
    expect(withKey).toEqual([expect.objectContaining({ scope: "tenant" })]);
  });

  test("a tenant admin cannot change or delete a platform-wide flag: 403", async () => {
    const key = t.unique("global");
    const platformFlag = await createFlag(root.accessToken, { key, platform: true, enabled: true });
    const { admin } = await t.team();
    const theirs = t.api(admin.accessToken).features({ id: platformFlag.id });
    expect((await theirs.put({ enabled: false })).status).toBe(403);
    expect((await theirs.delete()).status).toBe(403);
    const [row] = await t.db.select().from(featureFlags).where(eq(featureFlags.id, platformFlag.id));
    expect(row?.enabled).toBe(true);
  });

  test("a change by the platform admin reaches every tenant's next evaluation", async () => {
    const key = t.unique("global");
    const platformFlag = await createFlag(root.accessToken, { key, platform: true, enabled: false });
    const { member } = await t.team();
    expect((await evaluate(member.accessToken, { key }))[0]?.enabled).toBe(false);
    const put = await t.api(root.accessToken).features({ id: platformFlag.id }).put({ enabled: true });
    expect(put.status).toBe(200);
    expect((await evaluate(member.accessToken, { key }))[0]?.enabled).toBe(true);
  });
});

describe("changing and deleting flags", () => {
  test("PUT changes the given fields, counts a version, audits before and after, and evaluation sees it at once", async () => {
    const { tenant, admin, member } = await t.team();
    const key = t.unique("toggle");
    const flag = await createFlag(admin.accessToken, { key, enabled: false, description: "kept" });
    expect((await evaluate(member.accessToken, { key }))[0]?.enabled).toBe(false); // now cached

    const res = await t.api(admin.accessToken).features({ id: flag.id }).put({ enabled: true });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ enabled: true, description: "kept", version: 2 });
    expect((await evaluate(member.accessToken, { key }))[0]?.enabled).toBe(true);

    const events = await auditOf(tenant.id, "flag.updated");
    expect(events).toHaveLength(1);
    expect(events[0]!.metadata).toMatchObject({ before: { enabled: false }, after: { enabled: true } });
  });

  test("a PUT that changes nothing keeps the version and writes no event", async () => {
    const { tenant, admin } = await t.team();
    const flag = await createFlag(admin.accessToken, { key: t.unique("same"), enabled: true });
    const res = await t.api(admin.accessToken).features({ id: flag.id }).put({ enabled: true });
    expect(res.data?.version).toBe(1);
    expect(await auditOf(tenant.id, "flag.updated")).toHaveLength(0);
  });

  test("an invalid change is 422 and leaves the flag as it was", async () => {
    const { admin } = await t.team();
    const flag = await createFlag(admin.accessToken, { key: t.unique("keep"), enabled: true });
    const res = await t
      .api(admin.accessToken)
      .features({ id: flag.id })
      .put({ enabled: false, strategies: [{ name: "flexibleRollout", parameters: { rollout: "-1" } }] });
    expect(res.status).toBe(422);
    const [row] = await t.db.select().from(featureFlags).where(eq(featureFlags.id, flag.id));
    expect(row).toMatchObject({ enabled: true, version: 1 });
  });

  test("DELETE removes the flag (204), audits it, and evaluation stops finding it", async () => {
    const { tenant, admin, member } = await t.team();
    const key = t.unique("gone");
    const flag = await createFlag(admin.accessToken, { key, enabled: true });
    expect((await evaluate(member.accessToken, { key }))[0]?.enabled).toBe(true);
    const res = await t.api(admin.accessToken).features({ id: flag.id }).delete();
    expect(res.status).toBe(204);
    expect((await evaluate(member.accessToken, { key }))[0]?.reason).toBe("not_found");
    expect(await auditOf(tenant.id, "flag.deleted")).toHaveLength(1);
  });

  test("a flag that others depend on cannot be deleted: 409 FLAG_HAS_DEPENDENTS", async () => {
    const { admin } = await t.team();
    const parent = await createFlag(admin.accessToken, { key: t.unique("parent"), enabled: true });
    await createFlag(admin.accessToken, { key: t.unique("child"), dependencies: [{ feature: parent.key }] });
    const res = await t.api(admin.accessToken).features({ id: parent.id }).delete();
    expect(res.status).toBe(409);
    expect(problemOf(res)?.code).toBe("FLAG_HAS_DEPENDENTS");
  });
});

describe("POST /features/evaluate", () => {
  test("the context is the caller's: tenant, plan and role constraints see the caller", async () => {
    const { tenant, admin, member } = await t.team();
    const key = t.unique("members");
    await createFlag(admin.accessToken, {
      key,
      enabled: true,
      strategies: [
        {
          name: "default",
          constraints: [
            { contextName: "role", operator: "IN", values: ["member"] },
            { contextName: "tenantSlug", operator: "IN", values: [tenant.slug] },
            { contextName: "plan", operator: "IN", values: ["free"] },
          ],
        },
      ],
    });
    expect((await evaluate(member.accessToken, { key }))[0]).toMatchObject({
      enabled: true,
      reason: "strategy_matched",
    });
    expect((await evaluate(admin.accessToken, { key }))[0]).toMatchObject({
      enabled: false,
      reason: "no_strategy_matched",
    });
  });

  test("guests do not hold flags:read: 403", async () => {
    const { guest } = await t.team();
    const res = await t.api(guest.accessToken).features.evaluate.post({});
    expect(res.status).toBe(403);
  });

  test("userWithId matches the caller by default and the userId the caller passes", async () => {
    const { admin, member } = await t.team();
    const key = t.unique("beta");
    await createFlag(admin.accessToken, {
      key,
      enabled: true,
      strategies: [{ name: "userWithId", parameters: { userIds: `${member.id},someone-else` } }],
    });
    expect((await evaluate(member.accessToken, { key }))[0]?.enabled).toBe(true);
    expect((await evaluate(admin.accessToken, { key }))[0]?.enabled).toBe(false);
    expect(
      (await evaluate(admin.accessToken, { key, context: { userId: "someone-else" } }))[0]?.enabled,
    ).toBe(true);
  });

  test("properties reach constraints; variants come with their payload", async () => {
    const { admin, member } = await t.team();
    const key = t.unique("banner");
    await createFlag(admin.accessToken, {
      key,
      type: "string",
      enabled: true,
      strategies: [
        { name: "default", constraints: [{ contextName: "country", operator: "IN", values: ["NO"] }] },
      ],
      variants: [{ name: "red", weight: 1000, payload: { type: "string", value: "#f00" } }],
    });
    const [norway] = await evaluate(member.accessToken, { key, context: { properties: { country: "NO" } } });
    expect(norway).toEqual({
      key,
      enabled: true,
      variant: { name: "red", enabled: true, payload: { type: "string", value: "#f00" } },
      reason: "strategy_matched",
    });
    const [sweden] = await evaluate(member.accessToken, { key, context: { properties: { country: "SE" } } });
    expect(sweden).toMatchObject({ enabled: false, variant: { name: "disabled", enabled: false } });
  });

  test("a dependent flag is on only while its parent is", async () => {
    const { admin, member } = await t.team();
    const parent = await createFlag(admin.accessToken, { key: t.unique("parent"), enabled: false });
    const child = await createFlag(admin.accessToken, {
      key: t.unique("child"),
      enabled: true,
      dependencies: [{ feature: parent.key }],
    });
    expect((await evaluate(member.accessToken, { key: child.key }))[0]?.reason).toBe("dependency_not_met");
    await t.api(admin.accessToken).features({ id: parent.id }).put({ enabled: true });
    expect((await evaluate(member.accessToken, { key: child.key }))[0]?.enabled).toBe(true);
  });

  test("without keys every flag that applies to the tenant is evaluated", async () => {
    const { admin, member } = await t.team();
    const mine = [t.unique("a"), t.unique("b")];
    for (const key of mine) await createFlag(admin.accessToken, { key, enabled: true });
    const items = await evaluate(member.accessToken, {});
    const keys = items.map((i) => i.key);
    for (const key of mine) expect(keys).toContain(key);
  });

  test("a cached tenant's evaluation reads its definitions from the cache", async () => {
    const { tenant, admin, member } = await t.team();
    const key = t.unique("cached");
    await createFlag(admin.accessToken, { key, enabled: true });
    await evaluate(member.accessToken, { key });
    const cached = await t.cache.get<{ flags: { key: string }[] }>(cacheKeys.flagDefinitions(tenant.id));
    expect(cached?.flags.map((f) => f.key)).toEqual([key]);
  });

  // Raw calls: some of these bodies are outside the request type, which is the point.
  test.each([
    ["a bad key", { key: "bad key" }],
    ["too many keys", { keys: Array.from({ length: 201 }, (_, i) => `k${i}`) }],
    ["an unknown context field", { context: { plan: "enterprise" } }],
    ["a bad currentTime", { context: { currentTime: "yesterday" } }],
  ])("%s: 422", async (_name, body) => {
    const { member } = await t.team();
    const res = await t.call("POST", "/api/v1/features/evaluate", { token: member.accessToken, body });
    expect(res.status).toBe(422);
  });

  test("a remoteAddress strategy sees the caller's address without being told it", async () => {
    const { admin, member } = await t.team();
    const key = t.unique("office");
    await createFlag(admin.accessToken, {
      key,
      enabled: true,
      strategies: [{ name: "remoteAddress", parameters: { IPs: "127.0.0.1" } }],
    });
    const server = t.app.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const res = await fetch(`http://127.0.0.1:${server.server!.port}/api/v1/features/evaluate`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${member.accessToken}` },
        body: JSON.stringify({ key }),
      });
      const { items } = (await res.json()) as { items: { enabled: boolean }[] };
      expect(items[0]?.enabled).toBe(true);
    } finally {
      await server.stop();
    }
    const elsewhere = await evaluate(member.accessToken, { key, context: { remoteAddress: "198.51.100.4" } });
    expect(elsewhere[0]?.enabled).toBe(false);
  });

  test("without a token: 401", async () => {
    const res = await t.api().features.evaluate.post({});
    expect(res.status).toBe(401);
  });
});

describe("evaluation does bounded work whatever a tenant stores", () => {
  const hostileUserId = `${"a".repeat(40)}!`;
  const regexStrategy = (inverted: boolean) => ({
    name: "default",
    constraints: Array.from({ length: 5 }, (_, i) => ({
      contextName: "userId",
      operator: "REGEX",
      value: i % 2 ? "^(a+)+$" : "^(a|aa)+$",
      inverted,
    })),
  });

  test("catastrophic-backtracking patterns against their worst input answer, plain and inverted", async () => {
    const { admin, member } = await t.team();
    const plain = t.unique("redos");
    const inverted = t.unique("redos-inverted");
    await createFlag(admin.accessToken, {
      key: plain,
      enabled: true,
      strategies: Array.from({ length: 5 }, () => regexStrategy(false)),
    });
    await createFlag(admin.accessToken, {
      key: inverted,
      enabled: true,
      strategies: Array.from({ length: 5 }, () => regexStrategy(true)),
    });
    const items = await evaluate(member.accessToken, {
      keys: [plain, inverted],
      context: { userId: hostileUserId },
    });
    expect(items.map(({ key, enabled, reason }) => ({ key, enabled, reason }))).toEqual([
      { key: plain, enabled: false, reason: "no_strategy_matched" },
      { key: inverted, enabled: true, reason: "strategy_matched" },
    ]);
  });

  test.each([
    ["a backreference", "^(a)\\1$"],
    ["a lookahead", "^(?=admin)"],
    ["a lookbehind", "(?<=a)b"],
  ])("a pattern with %s: 422 INVALID_FLAG naming the constraint, nothing stored", async (_name, value) => {
    const { tenant, admin } = await t.team();
    const res = await t.api(admin.accessToken).features.post({
      key: t.unique("pattern"),
      strategies: [
        { name: "default" },
        { name: "default", constraints: [{ contextName: "email", operator: "REGEX", value }] },
      ],
    });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.code).toBe("INVALID_FLAG");
    expect(problemOf(res)?.errors).toEqual([
      { field: "strategies.1.constraints.0.value", message: expect.stringContaining("RE2") },
    ]);
    expect(await t.db.select().from(featureFlags).where(eq(featureFlags.tenantId, tenant.id))).toHaveLength(
      0,
    );
  });

  test("an invalid CIDR range: 422 INVALID_FLAG naming the value", async () => {
    const { admin } = await t.team();
    const res = await t.api(admin.accessToken).features.post({
      key: t.unique("cidr"),
      strategies: [
        {
          name: "default",
          constraints: [
            { contextName: "remoteAddress", operator: "IN_CIDR", values: ["10.0.0.0/8", "10.0.0.0/40"] },
          ],
        },
      ],
    });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.errors?.map((e) => e.field)).toEqual(["strategies.0.constraints.0.values.1"]);
  });

  test("a tenant's patterns share one budget: the pattern past it is refused, the others stay", async () => {
    const { tenant, admin } = await t.team();
    const pattern = (i: number) => ({
      contextName: "userId",
      operator: "REGEX",
      value: `^user-${i}-[a-z]+$`,
    });
    const constraints = Array.from({ length: 10 }, (_, i) => pattern(i));
    for (let i = 0; i < FLAG_LIMITS.patternsPerScope / 10; i++) {
      await createFlag(admin.accessToken, {
        key: t.unique("patterns"),
        strategies: [{ name: "default", constraints }],
      });
    }
    const res = await t.api(admin.accessToken).features.post({
      key: t.unique("one-more"),
      strategies: [{ name: "default", constraints: [pattern(99)] }],
    });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.errors).toEqual([
      { field: "strategies.0.constraints.0.value", message: expect.stringContaining("REGEX constraints") },
    ]);
    const stored = await t.db.select().from(featureFlags).where(eq(featureFlags.tenantId, tenant.id));
    expect(stored).toHaveLength(FLAG_LIMITS.patternsPerScope / 10);
  });

  test("a tenant's definitions share one size budget: the flag past it is refused", async () => {
    const { tenant, admin } = await t.team();
    const bulky = (n: number) => ({
      name: "default",
      constraints: Array.from({ length: 5 }, (_, c) => ({
        contextName: `field${c}`,
        operator: "IN",
        values: Array.from({ length: FLAG_LIMITS.valuesPerConstraint }, (_, i) =>
          `${n}-${c}-${i}-`.padEnd(FLAG_LIMITS.valueLength, "x"),
        ),
      })),
    });
    await createFlag(admin.accessToken, { key: t.unique("bulky"), strategies: [bulky(1)] });
    const res = await t
      .api(admin.accessToken)
      .features.post({ key: t.unique("bulky"), strategies: [bulky(2)] });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.code).toBe("INVALID_FLAG");
    expect(problemOf(res)?.errors).toEqual([
      { field: "strategies", message: expect.stringContaining("characters of JSON") },
    ]);
    expect(await t.db.select().from(featureFlags).where(eq(featureFlags.tenantId, tenant.id))).toHaveLength(
      1,
    );
  });

  test("a tenant at its flag limit: 409 FLAG_LIMIT_REACHED, nothing stored, others unaffected", async () => {
    const { tenant, admin } = await t.team();
    const other = await t.team();
    await t.db.insert(featureFlags).values(
      Array.from({ length: FLAG_LIMITS.flagsPerScope }, (_, i) => ({
        id: Bun.randomUUIDv7(),
        tenantId: tenant.id,
        key: `bulk-${i}`,
        name: `bulk-${i}`,
      })),
    );
    const res = await t.api(admin.accessToken).features.post({ key: "one-too-many" });
    expect(res.status).toBe(409);
    expect(problemOf(res)?.code).toBe("FLAG_LIMIT_REACHED");
    const stored = await t.db.select().from(featureFlags).where(eq(featureFlags.tenantId, tenant.id));
    expect(stored).toHaveLength(FLAG_LIMITS.flagsPerScope);
    expect(await auditOf(tenant.id, "flag.created")).toHaveLength(0);
    await createFlag(other.admin.accessToken, { key: "one-too-many" });
  });

  test("concurrent creates cannot pass the flag limit together", async () => {
    const { tenant, admin } = await t.team();
    await t.db.insert(featureFlags).values(
      Array.from({ length: FLAG_LIMITS.flagsPerScope - 2 }, (_, i) => ({
        id: Bun.randomUUIDv7(),
        tenantId: tenant.id,
        key: `bulk-${i}`,
        name: `bulk-${i}`,
      })),
    );
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => t.api(admin.accessToken).features.post({ key: `race-${i}` })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409, 409]);
    const stored = await t.db.select().from(featureFlags).where(eq(featureFlags.tenantId, tenant.id));
    expect(stored).toHaveLength(FLAG_LIMITS.flagsPerScope);
  });
});

describe("context lookups and values", () => {
  test.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "a constraint on %s is a missing field, not a 500 or an inherited function",
    async (contextName) => {
      const { admin, member } = await t.team();
      const key = t.unique("proto");
      await createFlag(admin.accessToken, {
        key,
        enabled: true,
        strategies: [
          {
            name: "default",
            constraints: [{ contextName, operator: "STR_STARTS_WITH", values: ["function"] }],
          },
          { name: "default", constraints: [{ contextName, operator: "STR_CONTAINS", values: ["object"] }] },
        ],
      });
      const [item] = await evaluate(member.accessToken, { key, context: { properties: { plan: "x" } } });
      expect(item).toMatchObject({ key, enabled: false, reason: "no_strategy_matched" });
    },
  );

  test("null properties, as Unleash SDKs send them, are absent: 200", async () => {
    const { admin, member } = await t.team();
    const key = t.unique("nulls");
    await createFlag(admin.accessToken, {
      key,
      enabled: true,
      strategies: [
        { name: "default", constraints: [{ contextName: "region", operator: "NOT_IN", values: ["eu"] }] },
      ],
    });
    const [item] = await evaluate(member.accessToken, {
      key,
      context: { properties: { region: null, country: "NO" } },
    });
    expect(item).toMatchObject({ enabled: true, reason: "strategy_matched" });
  });

  test.each([
    [
      "a userId past its bound",
      { userId: "u".repeat(CONTEXT_LIMITS.fieldLength + 1) },
      "body.context.userId",
    ],
    [
      "a property value past its bound",
      { properties: { note: "n".repeat(CONTEXT_LIMITS.propertyValueLength + 1) } },
      "body.context.properties.note",
    ],
    [
      "too many properties",
      {
        properties: Object.fromEntries(
          Array.from({ length: CONTEXT_LIMITS.properties + 1 }, (_, i) => [`p${i}`, "v"]),
        ),
      },
      "body.context.properties",
    ],
  ])("%s: 422 naming the field", async (_name, context, field) => {
    const { member } = await t.team();
    const res = await t.api(member.accessToken).features.evaluate.post({ context });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.code).toBe("VALIDATION_FAILED");
    expect(problemOf(res)?.errors?.map((e) => e.field)).toContain(field);
  });

  test("a property name past its bound: 422", async () => {
    const { member } = await t.team();
    const res = await t.api(member.accessToken).features.evaluate.post({
      context: { properties: { ["k".repeat(CONTEXT_LIMITS.propertyNameLength + 1)]: "v" } },
    });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.code).toBe("VALIDATION_FAILED");
  });
});

describe("deleting a platform-wide flag that tenants' flags depend on", () => {
  test("409 FLAG_HAS_DEPENDENTS with the count only; the flag stays and nothing is audited", async () => {
    const parentKey = t.unique("platform-parent");
    const parent = await createFlag(root.accessToken, { key: parentKey, platform: true, enabled: true });
    const victim = await t.team();
    const childKey = t.unique("secret-child-key");
    const child = await createFlag(victim.admin.accessToken, {
      key: childKey,
      enabled: true,
      dependencies: [{ feature: parentKey }],
    });
    // A tenant with its own flag of the parent's key depends on its own, not the platform's.
    const shadowing = await t.team();
    await createFlag(shadowing.admin.accessToken, { key: parentKey, enabled: true });
    await createFlag(shadowing.admin.accessToken, {
      key: t.unique("own-child"),
      dependencies: [{ feature: parentKey }],
    });

    const res = await t.api(root.accessToken).features({ id: parent.id }).delete();
    expect(res.status).toBe(409);
    expect(problemOf(res)?.code).toBe("FLAG_HAS_DEPENDENTS");
    expect(problemOf(res)?.detail).toContain("1 flag depends");
    const text = JSON.stringify(res.error?.value);
    for (const secret of [childKey, child.id, victim.tenant.id, victim.tenant.slug]) {
      expect(text).not.toContain(secret);
    }
    const [row] = await t.db.select().from(featureFlags).where(eq(featureFlags.id, parent.id));
    expect(row?.key).toBe(parentKey);
    const deleted = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "flag.deleted"), eq(auditEvents.resourceId, parent.id)));
    expect(deleted).toHaveLength(0);
    expect((await evaluate(victim.member.accessToken, { key: childKey }))[0]?.enabled).toBe(true);
  });

  test("once the tenant's flag no longer depends on it, it is deleted: 204", async () => {
    const parentKey = t.unique("platform-parent");
    const parent = await createFlag(root.accessToken, { key: parentKey, platform: true, enabled: true });
    const { admin } = await t.team();
    const child = await createFlag(admin.accessToken, {
      key: t.unique("child"),
      dependencies: [{ feature: parentKey }],
    });
    const platformParent = t.api(root.accessToken).features({ id: parent.id });
    expect((await platformParent.delete()).status).toBe(409);
    await t.api(admin.accessToken).features({ id: child.id }).put({ dependencies: [] });
    expect((await platformParent.delete()).status).toBe(204);
    expect(await t.db.select().from(featureFlags).where(eq(featureFlags.id, parent.id))).toHaveLength(0);
  });
});
