import { cacheKeys } from "../../domain/cache-keys";
import { tenantScope } from "../../domain/data-scope";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { UnitOfWork } from "../../ports/repositories";

export interface LastUsedDeps {
  /** The write runs in the key's tenant. */
  uow: Pick<UnitOfWork, "transaction">;
  cache: Pick<Cache, "add">;
  clock: Clock;
  /** A key's last use is written at most once per this many seconds. */
  intervalSeconds: number;
}

/**
 * Records that a key was used, coalesced: each instance remembers when it last wrote a key, and of
 * the instances due, the one whose cache `add` succeeds writes. So a busy key costs one database
 * write a minute (with the default interval), not one per request, and a use that is not due
 * returns at once (no promise to wait for). Never throws: a lost write only makes `lastUsedAt` older.
 */
export function makeLastUsed({ uow, cache, clock, intervalSeconds }: LastUsedDeps) {
  const nextDue = new Map<string, number>();

  async function write({ id: keyId, tenantId }: { id: string; tenantId: string }, now: Date): Promise<void> {
    try {
      if (await cache.add(cacheKeys.apiKeyUsed(keyId), 1, intervalSeconds)) {
        await uow.transaction(tenantScope(tenantId), (repos) => repos.apiKeys.touchLastUsed(keyId, now));
      }
    } catch {
      // The next due use writes it.
    }
  }

  /** `at`: when the key was used (the caller's clock reading), else now. */
  return function noteUse(key: { id: string; tenantId: string }, at?: Date): Promise<void> | undefined {
    const now = at ?? clock.now();
    if ((nextDue.get(key.id) ?? 0) > now.getTime()) return undefined;
    nextDue.set(key.id, now.getTime() + intervalSeconds * 1000);
    return write(key, now);
  };
}

export type NoteApiKeyUse = ReturnType<typeof makeLastUsed>;
