import { cacheKeys } from "../../domain/cache-keys";
import type { Cache } from "../../ports/cache";
import type { WebhookEndpointRepository } from "../../ports/webhook-endpoint-repository";
import { makeCacheAside } from "../cache/cache-aside";

export type Subscribers = Awaited<ReturnType<WebhookEndpointRepository["subscribers"]>>;

export interface WebhookSubscriberCacheDeps {
  cache: Cache;
  ttlSeconds: number;
}

/**
 * A tenant's endpoints that receive events (ids and event patterns), cached: so a change no endpoint
 * subscribes to (most changes, and every change of a tenant without webhooks) enqueues nothing
 * without reading the endpoints. Creating, changing or deleting an endpoint publishes the list once
 * committed. An endpoint disabled by failed deliveries may stay listed until then or the TTL: the
 * outbox drops messages for endpoints that are gone or disabled when it writes them.
 */
export function makeWebhookSubscriberCache({ cache, ttlSeconds }: WebhookSubscriberCacheDeps) {
  const entries = makeCacheAside({ cache, ttlSeconds });
  return {
    /** `load` reads the endpoints on the caller's handle (inside its transaction). */
    read(tenantId: string, load: () => Promise<Subscribers>): Promise<Subscribers> {
      return entries.read(cacheKeys.webhookSubscribers(tenantId), load);
    },
    /**
     * Call after a change to the tenant's endpoints commits, with `load` reading them in the tenant's
     * scope. Never throws: the change is done.
     */
    async publish(tenantId: string, load: () => Promise<Subscribers>): Promise<void> {
      const key = cacheKeys.webhookSubscribers(tenantId);
      let current: Subscribers;
      try {
        current = await load();
      } catch {
        // Without the list as it is now, no list: the next event reads the endpoints.
        await cache.delete(key);
        return;
      }
      await entries.publish(key, current);
    },
  };
}

export type WebhookSubscriberCache = ReturnType<typeof makeWebhookSubscriberCache>;
