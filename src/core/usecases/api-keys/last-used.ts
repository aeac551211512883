import { cacheKeys } from "../../domain/cache-keys";
import type { ApiKeyRepository } from "../../ports/api-key-repository";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";

export interface LastUsedDeps {
  apiKeys: Pick<ApiKeyRepository, "touchLastUsed">;
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
export function makeLastUsed({ apiKeys, cache, clock, intervalSeconds }: LastUsedDeps) {
  const nextDue = new Map<string, number>();

  async function write(keyId: string, now: Date): Promise<void> {
    try {
      if (await cache.add(cacheKeys.apiKeyUsed(keyId), 1, intervalSeconds)) {
        await apiKeys.touchLastUsed(keyId, now);
      }
    } catch {
      // The next due use writes it.
    }
  }

  /** `at`: when the key was used (the caller's clock reading), else now. */
  return function noteUse(keyId: string, at?: Date): Promise<void> | undefined {
    const now = at ?? clock.now();
    if ((nextDue.get(keyId) ?? 0) > now.getTime()) return undefined;
    nextDue.set(keyId, now.getTime() + intervalSeconds * 1000);
    return write(keyId, now);
  };
}

export type NoteApiKeyUse = ReturnType<typeof makeLastUsed>;
