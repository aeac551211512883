/**
 * A bounded memo for values derived from a flag's constants or from context values with few
 * distinct forms (versions, addresses, patterns), holding at most `limit` entries in two
 * generations of half that. A hit in the current generation is one lookup; a hit in the previous
 * one moves the entry up; a full current generation becomes the previous one. A key used between
 * two turnovers survives them, so a burst of new keys cannot flush the ones every request uses.
 */
export function memo<T>(compute: (key: string) => T, limit = 1_000): (key: string) => T {
  const generation = Math.max(1, Math.ceil(limit / 2));
  let current = new Map<string, T>();
  let previous = new Map<string, T>();
  return (key) => {
    const hit = current.get(key);
    if (hit !== undefined || current.has(key)) return hit as T;
    const value = previous.has(key) ? (previous.get(key) as T) : compute(key);
    if (current.size >= generation) {
      previous = current;
      current = new Map();
    }
    current.set(key, value);
    return value;
  };
}
