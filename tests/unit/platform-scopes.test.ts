import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import type { Acting, TenantRef } from "../../src/core/domain/acting";
import { anonymousScope, platformScope, scopeOf, tenantScope } from "../../src/core/domain/data-scope";
import type { FlagRecord } from "../../src/core/domain/flags/flag-record";
import type { Tenant } from "../../src/core/domain/tenant";
import type { Repositories, UnitOfWork } from "../../src/core/ports/repositories";
import { makeAuditScope } from "../../src/core/usecases/audit/audit-scope";
import { makeFlagDefinitions } from "../../src/core/usecases/flags/flag-definitions";
import { makeManageFlags } from "../../src/core/usecases/flags/manage-flags";
import { makePurgeExpired } from "../../src/core/usecases/maintenance/purge-expired";
import { makeManageTenants } from "../../src/core/usecases/tenants/manage-tenants";
import { makeTenantResolver } from "../../src/core/usecases/tenants/resolve-tenant";
import { scopeRecordingUow } from "../support/scope-recording";

// Which rows each transaction may see is the use case's choice; these tests pin the choices of the
// use cases that work on the tenant directory, across tenants, or on platform-wide data. The
// platform scope is asked for only where the work creates tenants or spans them, by its named purpose.

const now = new Date("2026-01-01T00:00:00Z");
const clock = { now: () => now };
let seq = 0;
const ids = { next: () => `00000000-0000-7000-8000-${String(++seq).padStart(12, "0")}` };

function tenantOf(id: string, slug: string): Tenant {
  return {
    id,
    slug,
    name: slug,
    domain: null,
    plan: "free",
    status: "active",
    settings: {},
    createdAt: now,
    updatedAt: now,
  };
}
const ref = ({ id, slug, name, plan, status }: Tenant): TenantRef => ({ id, slug, name, plan, status });

const platform = tenantOf("00000000-0000-7000-8000-0000000000aa", "platform");
const acme = tenantOf("00000000-0000-7000-8000-0000000000bb", "acme");
const origin = { ip: null, userAgent: null, requestId: null };

/** A platform super admin acting on `tenant` (their home is the platform tenant). */
const admin = (tenant: Tenant = platform): Acting => ({
  principal: { userId: "op", tenantId: platform.id, sessionId: "s", role: "super_admin" },
  home: ref(platform),
  tenant: ref(tenant),
  origin,
});
const allowEverything = async () => true;

/** A unit of work over fake repositories that records the scope of every transaction. */
function recording(extra: Partial<Record<keyof Repositories, unknown>> = {}) {
  const tenants = [platform, acme];
  const repos = {
    tenants: {
      findById: async (id: string) => tenants.find((t) => t.id === id) ?? null,
      findBySlug: async (slug: string) => tenants.find((t) => t.slug === slug) ?? null,
      create: async (t: Tenant) => ({ ...tenantOf(t.id, t.slug), ...t }),
      list: async () => tenants,
      update: async (id: string, patch: Partial<Tenant>) => ({
        ...tenants.find((t) => t.id === id)!,
        ...patch,
      }),
      setStatus: async (id: string, status: Tenant["status"]) => ({
        ...tenants.find((t) => t.id === id)!,
        status,
      }),
    },
    sessions: { revokeAllOfTenant: async () => [] },
    audit: { append: async () => {} },
    locks: { claim: async () => true },
    maintenance: {
      purgeExpired: async () => ({ sessions: 0, refreshTokens: 0, oneTimeTokens: 0, mfaChallenges: 0 }),
    },
    ...extra,
  } as unknown as Repositories;
  return scopeRecordingUow(repos);
}

function manageTenants(uow: UnitOfWork) {
  return makeManageTenants({
    uow,
    authorize: allowEverything,
    cache: memoryCache({ now: () => now.getTime() }),
    clock,
    ids,
    tenantCacheTtlSeconds: 60,
    sessionCacheTtlSeconds: 60,
  });
}

describe("tenant administration scopes", () => {
  test("creating a tenant is the only platform scope, named tenant administration", async () => {
    const { uow, scopes } = recording();
    await manageTenants(uow).create(admin(), { name: "New", slug: "new-co" });
    expect(scopes).toEqual([platformScope("tenant administration"), scopeOf(admin())]);
  });

  test("reading and listing the directory stay in the caller's own scope", async () => {
    const { uow, scopes } = recording();
    const manage = manageTenants(uow);
    await manage.get(admin(), acme.id);
    await manage.list(admin(), { filter: {}, page: { limit: 10, after: null } });
    expect(scopes).toEqual([scopeOf(admin()), scopeOf(admin())]);
  });

  test("a platform admin changing another tenant writes in that tenant's scope, not the platform's", async () => {
    const { uow, scopes } = recording();
    const manage = manageTenants(uow);
    await manage.update(admin(), { id: acme.id, patch: { name: "Acme 2" } });
    await manage.changeStatus(admin(), { id: acme.id, action: "suspend" });
    const writes = scopes.filter((s) => s.kind !== "tenant" || s.tenantId !== platform.id);
    expect(writes).toEqual([tenantScope(acme.id), tenantScope(acme.id)]);
  });

  test("the resolver reads the directory anonymously on a miss, and not at all when warm", async () => {
    const { uow, scopes } = recording();
    const resolver = makeTenantResolver({
      uow,
      cache: memoryCache({ now: () => now.getTime() }),
      ttlSeconds: 60,
    });
    await resolver.activeBySlug("acme");
    await resolver.activeBySlug("acme");
    await resolver.activeById(acme.id);
    expect(scopes).toEqual([anonymousScope]);
  });

  test("a platform admin's recorded read of another tenant's log is written in that tenant's scope", async () => {
    const { uow, scopes } = recording();
    const audit = makeAuditScope({ authorize: allowEverything, uow });
    const target = await audit.resolve(admin(), acme.id);
    await audit.recordRead(admin(), target, "audit.read", {});
    expect(scopes).toEqual([scopeOf(admin()), tenantScope(acme.id)]);
  });
});

describe("cross-tenant jobs name their purpose", () => {
  test("the purge claims its run as background jobs and purges as maintenance", async () => {
    const { uow, scopes } = recording();
    await makePurgeExpired({ uow, clock, intervalSeconds: 60 })();
    expect(scopes).toEqual([platformScope("background jobs"), platformScope("maintenance")]);
  });
});

describe("flag scopes", () => {
  const flag = (tenantId: string | null): FlagRecord =>
    ({
      id: ids.next(),
      tenantId,
      key: "k",
      enabled: false,
      strategies: [],
      variants: [],
      dependencies: [],
    }) as unknown as FlagRecord;

  test("platform-wide definitions are cached from the anonymous scope, a tenant's from its own", async () => {
    const { uow, scopes } = recording({ flags: { definitions: async () => ({ flags: [], segments: [] }) } });
    const definitions = makeFlagDefinitions({
      uow,
      cache: memoryCache({ now: () => now.getTime() }),
      ttlSeconds: 60,
    });
    await definitions.forTenant(acme.id);
    expect(new Set(scopes)).toEqual(new Set([anonymousScope, tenantScope(acme.id)]));
  });

  test("a tenant's flag is written in the tenant acted on; a platform-wide one in the platform scope", async () => {
    const own = flag(acme.id);
    const wide = flag(null);
    const stored = new Map([own, wide].map((f) => [f.id, f]));
    const flags = {
      findById: async (id: string) => stored.get(id) ?? null,
      lockScope: async () => {},
      countDependents: async () => 0,
      definitions: async () => ({ flags: [], segments: [] }),
      delete: async () => true,
    };
    const { uow, scopes } = recording({ flags });
    const manage = makeManageFlags({
      uow,
      definitions: { publish: async () => {} },
      authorize: allowEverything,
      clock,
      ids,
    });
    const acting = admin(acme);
    await manage.delete(acting, own.id);
    await manage.delete(acting, wide.id);
    expect(scopes).toEqual([
      scopeOf(acting),
      scopeOf(acting),
      scopeOf(acting),
      platformScope("platform-wide flags"),
    ]);
  });
});
