import type { AuditTally, TalliedMinute, TallySample } from "../../core/ports/audit-tally";

interface KeyState {
  minute: number;
  count: number;
  firstAt: number;
  lastAt: number;
  sample: TallySample | null;
}

const counted = (state: KeyState): TalliedMinute | null =>
  state.count > 0 && state.sample
    ? {
        minute: state.minute,
        count: state.count,
        firstAt: state.firstAt,
        lastAt: state.lastAt,
        sample: state.sample,
      }
    : null;

/**
 * An in-process audit tally, for one instance or as the fallback of a shared one. A key's state is
 * its current minute and what was counted in it. Once a minute, states of past minutes with nothing
 * counted are forgotten. Bounded: past `maxKeys`, a key not yet tracked is not tracked at all, so
 * each of its refusals is recorded on its own (an attack that gets there has already had one event
 * written per key).
 */
export function memoryAuditTally({ maxKeys = 100_000 } = {}): AuditTally {
  const keys = new Map<string, KeyState>();
  let prunedMinute = 0;

  function prune(minute: number) {
    if (minute <= prunedMinute) return;
    prunedMinute = minute;
    for (const [key, state] of keys) if (state.minute < minute && state.count === 0) keys.delete(key);
  }

  return {
    async note(key, minute, at, sample) {
      const state = keys.get(key);
      // A minute earlier than the state's comes from an instance whose clock is behind: same minute.
      if (state && minute <= state.minute) {
        if (state.count === 0) Object.assign(state, { count: 1, firstAt: at, lastAt: at, sample });
        else {
          state.count++;
          state.firstAt = Math.min(state.firstAt, at);
          state.lastAt = Math.max(state.lastAt, at);
        }
        return { first: false, closed: null };
      }
      const closed = state ? counted(state) : null;
      prune(minute);
      if (state || keys.size < maxKeys) {
        keys.delete(key);
        keys.set(key, { minute, count: 0, firstAt: at, lastAt: at, sample: null });
      }
      return { first: true, closed };
    },

    async take(beforeMinute, limit) {
      const taken: TalliedMinute[] = [];
      for (const state of keys.values()) {
        if (taken.length >= limit) break;
        const minute = state.minute < beforeMinute ? counted(state) : null;
        if (!minute) continue;
        taken.push(minute);
        Object.assign(state, { count: 0, sample: null });
      }
      return taken;
    },
  };
}
