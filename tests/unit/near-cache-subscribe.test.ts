import { expect, test } from "bun:test";
import { EventEmitter } from "node:events";
import type Redis from "ioredis";
import { nearCache } from "../../src/adapters/cache/near-cache";
import type { Cache } from "../../src/core/ports/cache";
import { silentLogger } from "../support/logger";

/** A subscriber connection whose first SUBSCRIBE times out, as on a machine too busy to answer in time. */
function flakySubscriber() {
  const emitter = new EventEmitter() as EventEmitter & Record<string, unknown>;
  let attempts = 0;
  emitter.status = "ready";
  emitter.subscribe = async () => {
    attempts++;
    if (attempts === 1) throw new Error("Command timed out");
  };
  emitter.disconnect = () => {};
  return { subscriber: emitter as unknown as Redis, attempts: () => attempts };
}

test("a subscription that failed is tried again, and the near copies serve once it succeeds", async () => {
  let remoteReads = 0;
  const remote: Cache = {
    get: async <T>() => {
      remoteReads++;
      return { v: 1 } as T;
    },
    set: async () => true,
    add: async () => true,
    delete: async () => true,
  };
  const { subscriber, attempts } = flakySubscriber();
  const cache = nearCache({
    remote,
    publisher: { status: "ready", publish: async () => 0 },
    subscriber,
    channel: "c",
    logger: silentLogger,
    resubscribeMs: 5,
  });
  subscriber.emit("ready");
  await Bun.sleep(50);
  expect(attempts()).toBe(2);
  await cache.get("k");
  await cache.get("k");
  await cache.get("k");
  expect(remoteReads).toBe(1);
  await cache.close();
});
