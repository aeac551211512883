import { describe, expect, test } from "bun:test";
import { nextWebhookAttemptAt, WEBHOOK_RETRY_DELAYS_MS } from "../../src/core/domain/webhook-retry";

const failedAt = new Date("2026-12-03T14:00:00.000Z");
const at = (ms: number) => new Date(failedAt.getTime() + ms);

describe("webhook retry schedule", () => {
  test("after the first failure the next attempt is 5 s later, with no jitter at the midpoint", () => {
    expect(nextWebhookAttemptAt(1, failedAt, () => 0.5)).toEqual(at(5_000));
  });

  test("jitter spreads each delay by at most 20% either way", () => {
    expect(nextWebhookAttemptAt(2, failedAt, () => 0)).toEqual(at(4 * 60_000));
    expect(nextWebhookAttemptAt(2, failedAt, () => 0.999_999)?.getTime()).toBeLessThanOrEqual(
      at(6 * 60_000).getTime(),
    );
  });

  test("eight attempts span about 27 hours, then the message is given up", () => {
    const total = WEBHOOK_RETRY_DELAYS_MS.reduce((sum, delay) => sum + delay, 0);
    expect(total / 3_600_000).toBeCloseTo(27.6, 1);
    expect(nextWebhookAttemptAt(7, failedAt, () => 0.5)).toEqual(at(10 * 3_600_000));
    expect(nextWebhookAttemptAt(8, failedAt, () => 0.5)).toBeNull();
  });
});
