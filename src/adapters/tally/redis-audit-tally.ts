import { createHash } from "node:crypto";
import type { AuditTally, TalliedMinute, TallySample } from "../../core/ports/audit-tally";
import type { RedisConnection } from "../redis/redis-connection";

// The rules of the memory audit tally, atomic per key. KEYS[1]: the key's hash (minute, count, first,
// last, sample); KEYS[2]: the index of keys with something counted, scored by minute.
// ARGV: minute, at (ms), sample (JSON), ttl (s), the key's id in the index.
// Returns {0} when counted, {1} for the first of a minute, {1, minute, count, first, last, sample}
// when that also closed a minute with something counted.
const NOTE = `
local minute = tonumber(ARGV[1])
local at = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'minute', 'count', 'first', 'last', 'sample')
local current = tonumber(state[1])
local count = tonumber(state[2]) or 0
if current and minute <= current then
  if count == 0 then
    redis.call('HSET', KEYS[1], 'count', 1, 'first', ARGV[2], 'last', ARGV[2], 'sample', ARGV[3])
    redis.call('ZADD', KEYS[2], current, ARGV[5])
  else
    redis.call('HSET', KEYS[1], 'count', count + 1,
      'first', math.min(at, tonumber(state[3])), 'last', math.max(at, tonumber(state[4])))
  end
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  return {0}
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'minute', ARGV[1], 'count', 0)
redis.call('EXPIRE', KEYS[1], ARGV[4])
if count > 0 then
  redis.call('ZREM', KEYS[2], ARGV[5])
  return {1, state[1], state[2], state[3], state[4], state[5]}
end
return {1}
`;

// KEYS as NOTE's; ARGV: the minute before which a count is taken, the key's id.
// Returns {minute, count, first, last, sample}, or nothing when there was nothing (left) to take.
const TAKE = `
local state = redis.call('HMGET', KEYS[1], 'minute', 'count', 'first', 'last', 'sample')
local count = tonumber(state[2]) or 0
if count == 0 then
  redis.call('ZREM', KEYS[2], ARGV[2])
  return false
end
if tonumber(state[1]) >= tonumber(ARGV[1]) then return false end
redis.call('HSET', KEYS[1], 'count', 0)
redis.call('HDEL', KEYS[1], 'first', 'last', 'sample')
redis.call('ZREM', KEYS[2], ARGV[2])
return state
`;

type Counted = [string, string, string, string, string];

interface TallyCommands {
  auditTallyNote(
    state: string,
    index: string,
    minute: number,
    at: number,
    sample: string,
    ttlSeconds: number,
    id: string,
  ): Promise<[1, ...Counted] | [0] | [1]>;
  auditTallyTake(state: string, index: string, beforeMinute: number, id: string): Promise<Counted | null>;
}

const NAMESPACE = "audit-tally:";
const INDEX = `${NAMESPACE}pending`;
/** A minute counted but never flushed (every instance down this long) is forgotten after this. */
const TTL_SECONDS = 24 * 60 * 60;

const toMinute = ([minute, count, first, last, sample]: Counted): TalliedMinute => ({
  minute: Number(minute),
  count: Number(count),
  firstAt: Number(first),
  lastAt: Number(last),
  sample: JSON.parse(sample) as TallySample,
});

/**
 * An audit tally shared by every instance: one atomic script per refusal, and one per minute taken,
 * so of two instances flushing at once only one gets a minute. Keys are stored by their SHA-256 (a
 * key may hold an email address). While Redis is away the fallback counts in this process; `take`
 * empties both.
 */
export function redisAuditTally({ redis, guarded }: RedisConnection, fallback: AuditTally): AuditTally {
  redis.defineCommand("auditTallyNote", { lua: NOTE, numberOfKeys: 2 });
  redis.defineCommand("auditTallyTake", { lua: TAKE, numberOfKeys: 2 });
  const commands = redis as unknown as TallyCommands;
  const idOf = (key: string) => createHash("sha256").update(key).digest("hex");

  async function takeShared(beforeMinute: number, limit: number): Promise<TalliedMinute[]> {
    const ids = await redis.zrangebyscore(INDEX, "-inf", `(${beforeMinute}`, "LIMIT", 0, limit);
    const taken = await Promise.all(
      ids.map((id) => commands.auditTallyTake(NAMESPACE + id, INDEX, beforeMinute, id)),
    );
    return taken.filter((counted) => counted !== null).map(toMinute);
  }

  return {
    note(key, minute, at, sample) {
      return guarded(
        "audit_tally.note",
        async () => {
          const id = idOf(key);
          const [first, ...closed] = await commands.auditTallyNote(
            NAMESPACE + id,
            INDEX,
            minute,
            at,
            JSON.stringify(sample),
            TTL_SECONDS,
            id,
          );
          return { first: first === 1, closed: closed.length ? toMinute(closed as Counted) : null };
        },
        () => fallback.note(key, minute, at, sample),
      );
    },
    async take(beforeMinute, limit) {
      const shared = await guarded(
        "audit_tally.take",
        () => takeShared(beforeMinute, limit),
        async () => [],
      );
      return [...shared, ...(await fallback.take(beforeMinute, Math.max(0, limit - shared.length)))];
    },
  };
}
