import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import { cacheKeys } from "../../src/core/domain/cache-keys";
import type { FlagRecord } from "../../src/core/domain/flags/flag-record";
import type { FlagDefinitions } from "../../src/core/ports/repositories";
import { makeFlagDefinitions } from "../../src/core/usecases/flags/flag-definitions";
import { scopeRecordingUow } from "../support/scope-recording";

// The revision is the ETag Unleash SDKs send back in If-None-Match: it must name what they hold,
// not which load happened to read it, or a poll of unchanged flags downloads them again.

const tenantId = "00000000-0000-7000-8000-0000000000bb";

function flagOf(key: string, enabled: boolean): FlagRecord {
  return {
    id: `id-${key}`,
    tenantId,
    key,
    name: key,
    description: null,
    type: "boolean",
    enabled,
    strategies: [{ name: "default", parameters: {}, constraints: [] }],
    variants: [],
    dependencies: [],
    version: 1,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
}

function setUp() {
  const stored: { own: FlagRecord[] } = { own: [flagOf("checkout", true)] };
  let reads = 0;
  const { uow } = scopeRecordingUow({
    flags: {
      definitions: async (scope: string | null): Promise<FlagDefinitions> => {
        reads++;
        // Both loads of a concurrent miss are in flight before either fills the cache.
        await Bun.sleep(5);
        return { flags: scope === null ? [] : stored.own, segments: [] };
      },
    },
  });
  const cache = memoryCache({ now: () => Date.now() });
  const definitions = makeFlagDefinitions({ uow, cache, ttlSeconds: 60 });
  return { stored, cache, definitions, reads: () => reads };
}

describe("flag definition revisions", () => {
  test("readers filling the same miss at once get the revision the cache keeps", async () => {
    const { definitions, reads } = setUp();
    const [a, b] = await Promise.all([definitions.forTenant(tenantId), definitions.forTenant(tenantId)]);
    expect(reads()).toBe(4);
    expect(a.revision).toBe(b.revision);
    expect((await definitions.forTenant(tenantId)).revision).toBe(a.revision);
  });

  test("a refill after the entry expired keeps the revision of unchanged flags", async () => {
    const { cache, definitions } = setUp();
    const before = (await definitions.forTenant(tenantId)).revision;
    await cache.delete(cacheKeys.flagDefinitions(tenantId), cacheKeys.flagDefinitions(null));
    expect((await definitions.forTenant(tenantId)).revision).toBe(before);
  });

  test("a changed flag, published, changes the revision", async () => {
    const { stored, definitions } = setUp();
    const before = (await definitions.forTenant(tenantId)).revision;
    stored.own = [flagOf("checkout", false)];
    await definitions.publish(tenantId);
    const after = (await definitions.forTenant(tenantId)).revision;
    expect(after).not.toBe(before);
    stored.own = [flagOf("checkout", true)];
    await definitions.publish(tenantId);
    expect((await definitions.forTenant(tenantId)).revision).toBe(before);
  });
});
