import Redis from "ioredis";

/** Deletes every key under each prefix on the Redis at `url` (a test's own namespaced keys). */
export async function deleteRedisPrefixes(url: string | undefined, prefixes: string[]): Promise<void> {
  if (!url || prefixes.length === 0) return;
  const admin = new Redis(url);
  try {
    for (const prefix of prefixes) {
      for await (const keys of admin.scanStream({ match: `${prefix}*` })) {
        if ((keys as string[]).length) await admin.del(...(keys as string[]));
      }
    }
  } finally {
    admin.disconnect();
  }
}
