import { expect, test } from "bun:test";
import type { WebhookMessage } from "../../src/core/domain/webhook";
import type { ClaimedWebhookMessage } from "../../src/core/ports/webhook-delivery-queue";
import type { DeliverWebhooks } from "../../src/core/usecases/webhooks/deliver";
import { startWebhookDeliveryWorker } from "../../src/jobs/webhook-delivery-worker";
import { silentLogger } from "../support/logger";

const claimed = (id: string) =>
  ({ message: { id } as WebhookMessage, endpoint: {} }) as unknown as ClaimedWebhookMessage;

/** A queue of `total` due messages whose deliveries finish only when the test lets them. */
function fakeDelivery(total: number) {
  let next = 0;
  let inFlight = 0;
  let most = 0;
  const finishers: (() => void)[] = [];
  const released: string[] = [];
  const deliver: DeliverWebhooks = {
    claim: async (limit) => {
      const batch = [];
      while (batch.length < limit && next < total) batch.push(claimed(`m${next++}`));
      return batch;
    },
    deliver: () => {
      inFlight++;
      most = Math.max(most, inFlight);
      return new Promise((resolve) =>
        finishers.push(() => {
          inFlight--;
          resolve("delivered");
        }),
      );
    },
    release: async (ids) => {
      released.push(...ids);
    },
  };
  return {
    deliver,
    finishers,
    released,
    stats: () => ({ inFlight, most, claimed: next }),
    finishAll() {
      for (const finish of finishers.splice(0)) finish();
    },
  };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await Bun.sleep(2);
  expect(check()).toBe(true);
};

test("never more deliveries in flight than the concurrency; a finished one frees a slot for the next", async () => {
  const fake = fakeDelivery(20);
  const worker = startWebhookDeliveryWorker({
    deliver: fake.deliver,
    concurrency: 3,
    idleMs: 5,
    logger: silentLogger,
    describeError: String,
  });
  await until(() => fake.stats().inFlight === 3);
  expect(fake.stats().claimed).toBe(3);
  fake.finishers.shift()?.();
  await until(() => fake.stats().claimed === 4);
  while (fake.stats().claimed < 20 || fake.stats().inFlight > 0) {
    fake.finishAll();
    await Bun.sleep(2);
  }
  expect(fake.stats().most).toBe(3);
  await worker.stop(100);
  expect(fake.released).toEqual([]);
});

test("stop waits for deliveries in flight, then hands back those that outlast the grace", async () => {
  const fake = fakeDelivery(2);
  const worker = startWebhookDeliveryWorker({
    deliver: fake.deliver,
    concurrency: 2,
    idleMs: 5,
    logger: silentLogger,
    describeError: String,
  });
  await until(() => fake.stats().inFlight === 2);
  fake.finishers.shift()?.();
  await worker.stop(30);
  expect(fake.released).toEqual(["m1"]);
});
