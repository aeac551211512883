import type { RateLimitDecision, RateLimiter, RateLimitRule } from "../../core/ports/rate-limiter";
import type { RedisConnection } from "../redis/redis-connection";
import { gcra } from "./memory-rate-limiter";

// Adds `count` admitted requests to a key's theoretical arrival time (TAT) on Redis server time and
// returns how far the TAT now lies ahead of that time (ms), so instances with skewed clocks agree.
// KEYS[1]: TAT in ms. ARGV: count, limit, window in ms. Admission is decided by the callers.
const RECONCILE = `
local count = tonumber(ARGV[1])
local interval = tonumber(ARGV[3]) / tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local tat = math.max(tonumber(redis.call('GET', KEYS[1])) or now, now) + count * interval
if tat > now then redis.call('SET', KEYS[1], tat, 'PX', math.ceil(tat - now)) end
return tostring(tat - now)
`;

type ReconcileCommand = (key: string, count: number, limit: number, windowMs: number) => Promise<string>;

interface KeyState {
  /** This instance's view of the TAT (local ms): the shared one as last reported plus its own since. */
  tat: number;
  /** Requests admitted here and not yet added to the shared TAT. */
  pending: number;
  reporting: Promise<void> | null;
  /** A report scheduled for requests too few to make a batch. */
  timer: ReturnType<typeof setTimeout> | null;
}

export interface BatchedRateLimiterOptions {
  /** The largest count of requests an instance admits before it must report them. */
  maxUnreported?: (rule: RateLimitRule) => number;
  /** Pending requests are reported after this long, however few. */
  reportEveryMs?: number;
  maxKeys?: number;
  now?: () => number;
}

/** 1% of the limit, at least 1: the default tolerance per instance. */
export const defaultMaxUnreported = ({ limit }: RateLimitRule) => Math.max(1, Math.floor(limit / 100));

const NAMESPACE = "rate:";

/**
 * A rate limiter shared by every instance that decides locally: each instance runs the memory
 * limiter's GCRA on its view of the key's shared TAT and adds the requests it admitted to Redis in
 * batches (one script per batch), learning there what the other instances admitted. So a busy key
 * costs one round trip per batch, not per request, and refusals cost none.
 *
 * The tolerance: an instance reports as soon as `maxUnreported` requests await reporting, and when as
 * many await while a report is still under way, the next request waits for that report. So at most
 * `2 * maxUnreported` requests admitted by one instance are unknown to the others: with N instances
 * a key gets at most `limit + 2 * N * maxUnreported` requests through in any window, and whatever
 * was admitted beyond the limit is added to the shared TAT, so the key is refused that much longer
 * after: the long-run rate holds. With one instance the limit is exact. While Redis is away each
 * instance decides alone, as the memory limiter does.
 */
export function batchedRateLimiter(
  { redis, guarded }: RedisConnection,
  options: BatchedRateLimiterOptions = {},
): RateLimiter {
  const { maxUnreported = defaultMaxUnreported, reportEveryMs = 1_000, maxKeys = 100_000 } = options;
  const now = options.now ?? Date.now;
  redis.defineCommand("rateLimitReconcile", { lua: RECONCILE, numberOfKeys: 1 });
  const reconcile = (redis as unknown as { rateLimitReconcile: ReconcileCommand }).rateLimitReconcile.bind(
    redis,
  );
  const keys = new Map<string, KeyState>(); // least recently hit first

  function prune(at: number) {
    for (const [key, state] of keys) {
      if ((state.tat > at || state.pending > 0 || state.reporting) && keys.size <= maxKeys) return;
      if (state.timer) clearTimeout(state.timer);
      keys.delete(key);
    }
  }

  function report(key: string, state: KeyState, rule: RateLimitRule): Promise<void> {
    const count = state.pending;
    state.pending = 0;
    const windowMs = rule.windowSeconds * 1000;
    state.reporting = guarded(
      "rate_limit.reconcile",
      async () => {
        const ahead = Number(await reconcile(NAMESPACE + key, count, rule.limit, windowMs));
        // The shared TAT holds this report's requests; those admitted since are still to be added.
        const shared = now() + ahead + state.pending * (windowMs / rule.limit);
        state.tat = Math.max(state.tat, shared);
      },
      async () => {},
    ).finally(() => {
      state.reporting = null;
      afterReport(key, state, rule);
    });
    return state.reporting;
  }

  /** What was admitted while a report was under way goes next: at once when a batch is full, else soon. */
  function afterReport(key: string, state: KeyState, rule: RateLimitRule) {
    if (state.pending >= maxUnreported(rule)) {
      void report(key, state, rule);
    } else if (state.pending > 0 && !state.timer) {
      state.timer = setTimeout(() => {
        state.timer = null;
        if (state.pending > 0 && !state.reporting) void report(key, state, rule);
      }, reportEveryMs);
      state.timer.unref?.();
    }
  }

  async function hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const at = now();
    let state = keys.get(key);
    const known = state !== undefined;
    if (state) keys.delete(key);
    else state = { tat: at, pending: 0, reporting: null, timer: null };
    keys.set(key, state);
    const batch = maxUnreported(rule);
    if (state.reporting && state.pending >= batch) {
      await state.reporting;
      return hit(key, rule);
    }
    const { decision, tat } = gcra(at, state.tat, rule);
    state.tat = tat;
    if (decision.allowed) state.pending++;
    // A key new here is reported at once, to learn soonest what the other instances admitted.
    if (!state.reporting) {
      if (!known) void report(key, state, rule);
      else afterReport(key, state, rule);
    }
    prune(at);
    return decision;
  }

  return {
    hit,
    async reset(key) {
      const state = keys.get(key);
      if (state?.timer) clearTimeout(state.timer);
      keys.delete(key);
      await guarded(
        "rate_limit.reset",
        async () => void (await redis.del(NAMESPACE + key)),
        async () => {},
      );
    },
  };
}
