/**
 * A bounded memo for values derived from a flag's constants or from context values with few
 * distinct forms (versions, id lists): past `limit` entries it starts afresh.
 */
export function memo<T>(compute: (key: string) => T, limit = 1_000): (key: string) => T {
  let cache = new Map<string, T>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as T;
    if (cache.size >= limit) cache = new Map();
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}
