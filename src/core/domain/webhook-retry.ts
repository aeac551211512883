/**
 * How long after each failed attempt the next one is made: the first attempt is immediate, then 5 s,
 * 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (8 attempts over about 27 h). After the last the message is
 * failed.
 */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** Each delay is spread by ±20% so that receivers recovering from an outage are not hit all at once. */
export const WEBHOOK_RETRY_JITTER = 0.2;

/**
 * When to try again after `attemptsMade` attempts all failed, or null when the message is given up.
 * `random` returns a number in [0, 1).
 */
export function nextWebhookAttemptAt(
  attemptsMade: number,
  failedAt: Date,
  random: () => number,
  delaysMs: readonly number[] = WEBHOOK_RETRY_DELAYS_MS,
): Date | null {
  const delay = delaysMs[attemptsMade - 1];
  if (delay === undefined) return null;
  const spread = 1 + WEBHOOK_RETRY_JITTER * (2 * random() - 1);
  return new Date(failedAt.getTime() + Math.round(delay * spread));
}

/**
 * An endpoint is disabled when this many messages in a row were given up, none delivered in between:
 * at 8 attempts over ~27 h each, it has failed for more than a day.
 */
export const WEBHOOK_DISABLE_AFTER_FAILED_MESSAGES = 5;
