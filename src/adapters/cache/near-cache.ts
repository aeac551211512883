import type Redis from "ioredis";
import type { Cache } from "../../core/ports/cache";
import type { Logger } from "../../core/ports/logger";
import type { PeekableCache } from "./counted-cache";
import { FORGET_ALL } from "./redis-cache";

export interface NearCacheOptions {
  /** The shared cache every instance reads and writes (Redis). */
  remote: Cache;
  /** The shared cache's connection: invalidations are published on it. */
  publisher: Pick<Redis, "publish" | "status">;
  /** A connection of its own for the subscription (a subscribed connection runs no other command). */
  subscriber: Redis;
  channel: string;
  logger: Logger;
  /** An upper bound on how long a value is served from this process without asking Redis again. */
  maxLocalSeconds?: number;
  maxEntries?: number;
  now?: () => number;
  /** Names this instance in its messages, so it skips its own. */
  instanceId?: string;
  /** How long to wait before subscribing again after a subscription failed. */
  resubscribeMs?: number;
}

interface Entry {
  value: unknown;
  expiresAt: number;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * A small in-process copy in front of the shared cache, so a warm request reads no network. Every
 * write and delete is published on `channel`; each instance drops its copy of the key when told.
 * Copies are only served while the subscription is up: when it drops (Redis restarting, a network
 * cut) every copy is forgotten, because invalidations may have been missed, and reads go to the
 * shared cache (or, while Redis is away, to the database) until it is back.
 *
 * A read that was in flight while an invalidation arrived does not keep its value, so a value
 * published before the change can never be stored after it.
 */
export function nearCache(options: NearCacheOptions): PeekableCache & { close(): Promise<void> } {
  const { remote, publisher, subscriber, channel, logger } = options;
  const maxLocalMs = (options.maxLocalSeconds ?? 60) * 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const instanceId = options.instanceId ?? crypto.randomUUID();
  const resubscribeMs = options.resubscribeMs ?? 250;
  const local = new Map<string, Entry>();
  let listening = false;
  let invalidations = 0;

  function forgetAll() {
    invalidations++;
    local.clear();
  }

  function forget(key: string) {
    invalidations++;
    local.delete(key);
  }

  subscriber.on("message", (_channel: string, message: string) => {
    const separator = message.indexOf("\n");
    if (message.slice(0, separator) === instanceId) return;
    const key = message.slice(separator + 1);
    if (key === FORGET_ALL) forgetAll();
    else forget(key);
  });
  // Subscribing on every "ready" (not once up front) also covers a first connection that failed; a
  // subscription that fails (a command timeout on a busy machine) is tried again while the
  // connection stays up, else this instance would read Redis on every request until it reconnects.
  function subscribe() {
    subscriber.subscribe(channel).then(
      () => {
        forgetAll();
        listening = true;
      },
      () => {
        if (subscriber.status === "ready") setTimeout(subscribe, resubscribeMs).unref?.();
      },
    );
  }
  subscriber.on("ready", subscribe);
  for (const event of ["close", "end", "reconnecting"]) {
    subscriber.on(event, () => {
      if (listening) logger.warn("cache.near_copies_dropped", { reason: "invalidation channel lost" });
      listening = false;
      forgetAll();
    });
  }
  subscriber.on("error", () => {});

  const serving = () => listening && subscriber.status === "ready" && publisher.status === "ready";

  async function announce(keys: string[]) {
    try {
      for (const key of keys) await publisher.publish(channel, `${instanceId}\n${key}`);
    } catch (error) {
      logger.warn("cache.invalidation_not_published", { error: (error as Error).message });
    }
  }

  function peek<T>(key: string): T | undefined {
    const entry = local.get(key);
    if (!entry || !serving()) return undefined;
    if (entry.expiresAt > now()) return entry.value as T;
    local.delete(key);
    return undefined;
  }

  return {
    peek,
    async get<T>(key: string) {
      const held = peek<T>(key);
      if (held !== undefined) return held;
      const before = invalidations;
      const value = await remote.get<T>(key);
      if (value !== undefined && serving() && invalidations === before) {
        if (local.size >= maxEntries) local.delete(local.keys().next().value!);
        local.set(key, { value: deepFreeze(value), expiresAt: now() + maxLocalMs });
      }
      return value;
    },
    async set(key, value, ttlSeconds) {
      forget(key);
      const stored = await remote.set(key, value, ttlSeconds);
      await announce([key]);
      return stored;
    },
    add(key, value, ttlSeconds) {
      return remote.add(key, value, ttlSeconds);
    },
    async delete(...keys) {
      for (const key of keys) forget(key);
      const deleted = await remote.delete(...keys);
      await announce(keys);
      return deleted;
    },
    async close() {
      listening = false;
      local.clear();
      subscriber.disconnect();
    },
  };
}
