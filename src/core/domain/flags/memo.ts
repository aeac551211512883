/**
 * A bounded memo for values derived from a flag's constants or from context values with few
 * distinct forms (versions, id lists, patterns): past `limit` entries the least recently used goes,
 * so a burst of new keys cannot flush the ones every request uses.
 */
export function memo<T>(compute: (key: string) => T, limit = 1_000): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    if (cache.has(key)) {
      const value = cache.get(key) as T;
      cache.delete(key);
      cache.set(key, value);
      return value;
    }
    const value = compute(key);
    if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
    cache.set(key, value);
    return value;
  };
}
