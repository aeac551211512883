import { cacheKeys } from "../../domain/cache-keys";
import type { User } from "../../domain/user";
import type { Cache } from "../../ports/cache";
import type { UserRepository } from "../../ports/repositories";

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
  users: Pick<UserRepository, "findById">;
  cache: Cache;
  ttlSeconds: number;
}

/**
 * Users' profiles read through the cache (cache-aside, keyed by id and checked against the tenant),
 * so a signed-in request needs no database read for its own user. Every use case that changes a
 * user publishes them after its commit: the stored state is written, not deleted, so a reader that
 * loaded the old state just before the commit cannot put it back (fills only add).
 */
export function makeUserCache({ users, cache, ttlSeconds }: UserCacheDeps) {
  // A near cache hands out the same (frozen) object until the user changes: revive it once.
  const revived = new WeakMap<CachedUser, User>();

  return {
    async find(tenantId: string, id: string): Promise<User | null> {
      const key = cacheKeys.user(id);
      const cached = await cache.get<CachedUser>(key);
      if (cached) {
        if (cached.tenantId !== tenantId) return null;
        let user = revived.get(cached);
        if (!user) {
          user = Object.freeze(revive(cached));
          revived.set(cached, user);
        }
        return user;
      }
      const user = await users.findById(tenantId, id);
      if (user) await cache.add(key, user, ttlSeconds);
      return user;
    },

    /** Caches the user as stored now (or forgets them when gone); call after a change commits. */
    async publish(tenantId: string, id: string): Promise<void> {
      const key = cacheKeys.user(id);
      const user = await users.findById(tenantId, id);
      const written = user ? await cache.set(key, user, ttlSeconds) : false;
      // A failed write must not leave the old state behind: without the key, the database decides.
      if (!written) await cache.delete(key);
    },
  };
}

export type UserCache = ReturnType<typeof makeUserCache>;
