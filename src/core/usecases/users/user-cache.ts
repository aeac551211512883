import { cacheKeys } from "../../domain/cache-keys";
import { tenantScope } from "../../domain/data-scope";
import type { User } from "../../domain/user";
import type { Cache } from "../../ports/cache";
import type { UnitOfWork } from "../../ports/repositories";
import { makeCacheAside } from "../cache/cache-aside";

/** A user as cached: JSON has no dates. */
type CachedUser = Omit<User, "emailVerifiedAt" | "lastLoginAt" | "createdAt" | "updatedAt"> & {
  emailVerifiedAt: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
};

const date = (value: string | null) => (value === null ? null : new Date(value));

function revive(cached: CachedUser): User {
  return {
    ...cached,
    emailVerifiedAt: date(cached.emailVerifiedAt),
    lastLoginAt: date(cached.lastLoginAt),
    createdAt: new Date(cached.createdAt),
    updatedAt: new Date(cached.updatedAt),
  };
}

export interface UserCacheDeps {
  uow: Pick<UnitOfWork, "transaction">;
  cache: Cache;
  ttlSeconds: number;
}

/**
 * Users' profiles read through the cache (keyed by id and checked against the tenant), so a signed-in
 * request needs no database read for its own user. Every use case that changes a user publishes them
 * after its commit. Only a miss (and a publication) reads the database, in the user's tenant: the
 * callers name it (the token's claims, a resolved tenant), and a user of another tenant is not seen.
 */
export function makeUserCache({ uow, cache, ttlSeconds }: UserCacheDeps) {
  const load = (tenantId: string, id: string) =>
    uow.transaction(tenantScope(tenantId), (repos) => repos.users.findById(tenantId, id));
  // A near cache hands out the same (frozen) object until the user changes: revive it once.
  const revived = new WeakMap<CachedUser, User>();
  const entries = makeCacheAside({ cache, ttlSeconds });

  return {
    find(tenantId: string, id: string): Promise<User | null> {
      return entries.read<User | null, CachedUser>(cacheKeys.user(id), () => load(tenantId, id), {
        fromCache(cached) {
          if (cached.tenantId !== tenantId) return null;
          let user = revived.get(cached);
          if (!user) {
            user = Object.freeze(revive(cached));
            revived.set(cached, user);
          }
          return user;
        },
      });
    },

    /** Caches the user as stored now (or forgets them when gone); call after a change commits. */
    async publish(tenantId: string, id: string): Promise<void> {
      await entries.publish(cacheKeys.user(id), await load(tenantId, id));
    },
  };
}

export type UserCache = ReturnType<typeof makeUserCache>;
