import { Int, Optional, type SettingsOf, Str } from "./setting-types";

export const cacheSettings = {
  REDIS_URL: Optional("Redis URL; unset uses an in-process cache"),
  CACHE_KEY_PREFIX: Str("saas:", "prefix of every Redis key"),
  TENANT_CACHE_TTL_SECONDS: Int(3600, 1, 86_400, "tenant cache lifetime"),
  SESSION_CACHE_TTL_SECONDS: Int(300, 1, 86_400, "session state cache lifetime"),
  PERMISSION_CACHE_TTL_SECONDS: Int(300, 1, 86_400, "role permissions cache lifetime"),
  FLAG_CACHE_TTL_SECONDS: Int(3600, 1, 86_400, "feature flag definitions cache lifetime"),
  CACHE_LOCAL_SECONDS: Int(
    60,
    0,
    3_600,
    "how long an instance serves a Redis cache entry from memory (0: never)",
  ),
};

export interface CacheConfig {
  redisUrl: string | null;
  keyPrefix: string;
  tenantTtlSeconds: number;
  sessionTtlSeconds: number;
  permissionTtlSeconds: number;
  flagTtlSeconds: number;
  localSeconds: number;
}

export function cacheConfig(env: SettingsOf<typeof cacheSettings>): CacheConfig {
  return {
    redisUrl: env.REDIS_URL ?? null,
    keyPrefix: env.CACHE_KEY_PREFIX,
    tenantTtlSeconds: env.TENANT_CACHE_TTL_SECONDS,
    sessionTtlSeconds: env.SESSION_CACHE_TTL_SECONDS,
    permissionTtlSeconds: env.PERMISSION_CACHE_TTL_SECONDS,
    flagTtlSeconds: env.FLAG_CACHE_TTL_SECONDS,
    localSeconds: env.CACHE_LOCAL_SECONDS,
  };
}
