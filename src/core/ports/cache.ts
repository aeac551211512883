/**
 * A key-value cache for derived, non-secret state. Implementations swallow their own outages: a get
 * that cannot reach the cache is a miss, a failed write or delete is logged, never thrown, so callers
 * fall back to the source of truth.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  /**
   * Optional: the value `get` would give now, when this process already holds it, without waiting
   * for anything; undefined means "ask `get`" (not "absent"). A caller that peeks and finds nothing
   * must `get` next: a peek that finds nothing is not counted as a miss.
   */
  peek?<T>(key: string): T | undefined;
  /** False when the cache could not be written (it is then unreachable or refusing writes). */
  set(key: string, value: unknown, ttlSeconds: number): Promise<boolean>;
  /**
   * Sets `key` only when it holds nothing. Cache-aside fills use it, so a fill computed from a read
   * that raced with a write cannot overwrite the state that write stored. True when it stored.
   */
  add(key: string, value: unknown, ttlSeconds: number): Promise<boolean>;
  /** False when the cache could not be reached. */
  delete(...keys: string[]): Promise<boolean>;
}
