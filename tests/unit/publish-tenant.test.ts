import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import { cacheKeys } from "../../src/core/domain/cache-keys";
import type { Cache } from "../../src/core/ports/cache";
import { publishTenant } from "../../src/core/usecases/tenants/resolve-tenant";

const tenant = {
  id: "t1",
  name: "Acme",
  slug: "acme",
  domain: null,
  plan: "free",
  status: "suspended" as const,
  settings: {},
  createdAt: new Date(),
  updatedAt: new Date(),
};

describe("publishTenant", () => {
  test("writes the new state under both keys", async () => {
    const cache = memoryCache();
    await publishTenant(cache, tenant, 60);
    expect(await cache.get(cacheKeys.tenantById("t1"))).toMatchObject({ status: "suspended" });
    expect(await cache.get(cacheKeys.tenantBySlug("acme"))).toMatchObject({ status: "suspended" });
  });

  test("when a write fails, the old cached state is removed so the database decides", async () => {
    const inner = memoryCache();
    await inner.set(cacheKeys.tenantById("t1"), { ...tenant, status: "active" }, 60);
    await inner.set(cacheKeys.tenantBySlug("acme"), { ...tenant, status: "active" }, 60);
    const refusingWrites: Cache = { ...inner, set: async () => false };
    await publishTenant(refusingWrites, tenant, 60);
    expect(await inner.get(cacheKeys.tenantById("t1"))).toBeUndefined();
    expect(await inner.get(cacheKeys.tenantBySlug("acme"))).toBeUndefined();
  });
});
