import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import { memoryRateLimiter } from "../../src/adapters/rate-limit/memory-rate-limiter";
import type { ApiKey } from "../../src/core/domain/api-key";
import { displayPrefix, newApiKeySecret } from "../../src/core/domain/api-key";
import { type DataScope, secretScope, tenantScope } from "../../src/core/domain/data-scope";
import { RateLimitedError, UnauthorizedError } from "../../src/core/domain/errors";
import { hashSecretToken } from "../../src/core/domain/secret-token";
import type { Tenant } from "../../src/core/domain/tenant";
import type { User } from "../../src/core/domain/user";
import type { Repositories, UnitOfWork } from "../../src/core/ports/repositories";
import { publishApiKeyRevocation } from "../../src/core/usecases/api-keys/api-key-state";
import { makeAuthenticateApiKey } from "../../src/core/usecases/api-keys/authenticate-api-key";
import { makeLastUsed } from "../../src/core/usecases/api-keys/last-used";
import { makeTenantResolver } from "../../src/core/usecases/tenants/resolve-tenant";
import { makeUserCache } from "../../src/core/usecases/users/user-cache";

const start = new Date("2026-01-01T00:00:00Z");
const ORIGIN = { ip: "203.0.113.9", userAgent: "ci", requestId: "r-1" };

function setup(overrides: Partial<ApiKey> = {}, { limit = 100, lookups = 100 } = {}) {
  let now = start.getTime();
  const clock = { now: () => new Date(now) };
  const secret = newApiKeySecret("api");
  const key: ApiKey = {
    id: "k1",
    tenantId: "t1",
    kind: "api",
    name: "ci",
    prefix: displayPrefix("api", secret),
    permissions: ["users:read"],
    allowedOrigins: [],
    createdBy: { type: "user", id: "u1" },
    createdAt: start,
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  };
  const tenant: Tenant = {
    id: "t1",
    slug: "acme",
    name: "Acme",
    plan: "free",
    status: "active",
    domain: null,
    settings: {},
    createdAt: start,
    updatedAt: start,
  };
  const user: User = {
    id: "u1",
    tenantId: "t1",
    email: "a@example.com",
    firstName: null,
    lastName: null,
    role: "admin",
    isActive: true,
    emailVerifiedAt: null,
    lastLoginAt: null,
    createdAt: start,
    updatedAt: start,
  };
  const reads = { keys: 0, tenants: 0, users: 0, touches: 0, guarded: 0 };
  const trips: unknown[][] = [];
  const cache = memoryCache({ now: () => now });
  const repo = {
    findByHash: async (hash: string) => {
      reads.keys++;
      return hash === hashSecretToken(secret) ? { key, secretHash: hash } : null;
    },
    touchLastUsed: async () => {
      reads.touches++;
    },
  };
  const repos = {
    apiKeys: repo,
    tenants: {
      findById: async () => {
        reads.tenants++;
        return tenant;
      },
      findBySlug: async () => tenant,
    },
    users: {
      findById: async () => {
        reads.users++;
        return user;
      },
    },
  } as unknown as Repositories;
  /** Each transaction's scope and the repository methods it called. */
  const transactions: { scope: DataScope; calls: string[] }[] = [];
  const uow: Pick<UnitOfWork, "transaction"> = {
    transaction: (scope, work) => {
      const calls: string[] = [];
      transactions.push({ scope, calls });
      const recorded = new Proxy(repos, {
        get: (target, name: string) =>
          new Proxy(target[name as keyof Repositories], {
            get: (repository, method: string) => {
              calls.push(`${name}.${method}`);
              return (repository as unknown as Record<string, unknown>)[method];
            },
          }),
      });
      return work(recorded);
    },
  };
  const tenants = makeTenantResolver({ uow, cache, ttlSeconds: 300 });
  const userCache = makeUserCache({ uow, cache, ttlSeconds: 300 });
  const authenticate = makeAuthenticateApiKey({
    uow,
    tenants,
    userCache,
    cache,
    clock,
    rateLimiter: memoryRateLimiter({ now: () => now }),
    recordTrip: async (...trip) => void trips.push(trip),
    guardLookup: async () => {
      reads.guarded++;
      if (reads.guarded > lookups) throw new RateLimitedError("RATE_LIMITED", "too many", 1, {} as never);
    },
    rateLimit: { limit, windowSeconds: 60 },
    noteUse: makeLastUsed({ uow, cache, clock, intervalSeconds: 60 }),
    ttlSeconds: 300,
  });
  return {
    authenticate,
    secret,
    key,
    cache,
    reads,
    trips,
    transactions,
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
}

const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return null;
};

describe("authenticateApiKey", () => {
  test("the key acts as its creator's role, with its own permissions and the key as actor", async () => {
    const { authenticate, secret } = setup();
    const { principal, tenant } = await authenticate(secret, ORIGIN);
    expect(principal).toMatchObject({
      userId: "u1",
      tenantId: "t1",
      role: "admin",
      kind: "api_key",
      sessionId: "",
    });
    expect([...principal.apiKey!.permissions]).toEqual(["users:read"]);
    expect(tenant.slug).toBe("acme");
  });

  test("a warm request reads no repository: key, tenant and creator all come from the cache", async () => {
    const { authenticate, secret, reads } = setup();
    await authenticate(secret, ORIGIN);
    const cold = { ...reads };
    expect(cold).toEqual({ keys: 1, tenants: 1, users: 1, touches: 1, guarded: 1 });
    for (let i = 0; i < 50; i++) await authenticate(secret, ORIGIN);
    expect(reads).toEqual(cold);
  });

  test("the key is looked up in the scope of its secret's hash, its last use written in its tenant", async () => {
    const { authenticate, secret, transactions } = setup();
    await authenticate(secret, ORIGIN);
    const scopeOf = (call: string) => transactions.find(({ calls }) => calls.includes(call))?.scope;
    expect(scopeOf("apiKeys.findByHash")).toEqual(secretScope("api_key", hashSecretToken(secret)));
    expect(scopeOf("apiKeys.touchLastUsed")).toEqual(tenantScope("t1"));
  });

  test("a guessed key is looked up in the scope of its own hash, which names no tenant", async () => {
    const { authenticate, transactions } = setup();
    const guess = newApiKeySecret("api");
    await refusal(authenticate(guess, ORIGIN));
    expect(transactions.map(({ scope }) => scope)).toEqual([secretScope("api_key", hashSecretToken(guess))]);
  });

  test("unknown, revoked, expired, wrong-kind-prefix: the same 401", async () => {
    const unknown = await refusal(setup().authenticate(newApiKeySecret("api"), ORIGIN));
    expect(unknown).toBeInstanceOf(UnauthorizedError);
    const revoked = setup({ revokedAt: start });
    expect(await refusal(revoked.authenticate(revoked.secret, ORIGIN))).toEqual(unknown);
    const expiring = setup({ expiresAt: new Date(start.getTime() + 60_000) });
    await expiring.authenticate(expiring.secret, ORIGIN);
    expiring.advance(60);
    expect(await refusal(expiring.authenticate(expiring.secret, ORIGIN))).toEqual(unknown);
    const relabelled = setup();
    expect(await refusal(relabelled.authenticate(`ck_${relabelled.secret.slice(3)}`, ORIGIN))).toEqual(
      unknown,
    );
  });

  test("a key revoked after it was used is refused on its next request (a remembered secret skips only the hash)", async () => {
    const used = setup();
    await used.authenticate(used.secret, ORIGIN);
    await publishApiKeyRevocation(
      used.cache,
      { key: { ...used.key, revokedAt: start }, secretHash: hashSecretToken(used.secret) },
      300,
    );
    expect(await refusal(used.authenticate(used.secret, ORIGIN))).toBeInstanceOf(UnauthorizedError);
  });

  test("guessed keys are looked up only while the caller's lookup limit lasts; a cached key is not counted", async () => {
    const { authenticate, secret, reads } = setup({}, { lookups: 3 });
    await authenticate(secret, ORIGIN);
    for (let i = 0; i < 2; i++) {
      expect(await refusal(authenticate(newApiKeySecret("api"), ORIGIN))).toBeInstanceOf(UnauthorizedError);
    }
    expect(await refusal(authenticate(newApiKeySecret("api"), ORIGIN))).toBeInstanceOf(RateLimitedError);
    expect(reads.keys).toBe(3);
    await authenticate(secret, ORIGIN);
  });

  test("an operator's key acts with its tenant's highest role", async () => {
    const { authenticate, secret } = setup({ createdBy: { type: "cli", id: "ops" } });
    expect((await authenticate(secret, ORIGIN)).principal).toMatchObject({ userId: "ops", role: "admin" });
  });

  test("past the per-key limit: 429 with the seconds to wait, the trip recorded as the key's", async () => {
    const { authenticate, secret, trips } = setup({}, { limit: 2 });
    await authenticate(secret, ORIGIN);
    await authenticate(secret, ORIGIN);
    const error = await refusal(authenticate(secret, ORIGIN));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(trips).toEqual([
      [
        {
          endpoint: "api_key",
          scope: "caller",
          limitKey: "api-key:k1",
          tenantId: "t1",
          actor: { type: "api_key", id: "k1", display: expect.stringMatching(/^sk_/) },
        },
        ORIGIN,
      ],
    ]);
  });

  test("last use is written once a minute, not per request", async () => {
    const { authenticate, secret, reads, advance } = setup();
    for (let i = 0; i < 10; i++) await authenticate(secret, ORIGIN);
    expect(reads.touches).toBe(1);
    advance(61);
    await authenticate(secret, ORIGIN);
    expect(reads.touches).toBe(2);
  });
});
