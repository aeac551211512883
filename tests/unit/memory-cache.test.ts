import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";

describe("memoryCache", () => {
  test("returns what was set until its TTL passes", async () => {
    let now = 1_000;
    const cache = memoryCache({ now: () => now });
    await cache.set("k", { a: 1 }, 10);
    expect(await cache.get("k")).toEqual({ a: 1 });
    now += 9_999;
    expect(await cache.get("k")).toEqual({ a: 1 });
    now += 1;
    expect(await cache.get("k")).toBeUndefined();
  });

  test("delete removes every key given", async () => {
    const cache = memoryCache();
    await cache.set("a", 1, 60);
    await cache.set("b", 2, 60);
    await cache.delete("a", "b", "missing");
    expect(await cache.get("a")).toBeUndefined();
    expect(await cache.get("b")).toBeUndefined();
  });

  test("hands out copies, like a remote cache would", async () => {
    const cache = memoryCache();
    const value = { list: [1] };
    await cache.set("k", value, 60);
    value.list.push(2);
    const read = await cache.get<{ list: number[] }>("k");
    read!.list.push(3);
    expect(await cache.get("k")).toEqual({ list: [1] });
  });

  test("stays within its bound by evicting the oldest entry", async () => {
    const cache = memoryCache({ maxEntries: 2 });
    await cache.set("a", 1, 60);
    await cache.set("b", 2, 60);
    await cache.set("c", 3, 60);
    expect(await cache.get("a")).toBeUndefined();
    expect(await cache.get("b")).toBe(2);
    expect(await cache.get("c")).toBe(3);
  });
});
