import { describe, expect, test } from "bun:test";
import { murmurhash3 } from "../../../src/core/domain/flags/murmurhash3";
import { bucketsOf, normalizedValue } from "../../../src/core/domain/flags/normalized-value";

describe("murmurhash3", () => {
  test.each([
    ["", 0, 0],
    ["", 1, 0x514e28b7],
    ["", 0xffffffff, 0x81f16f39],
    ["\0\0\0\0", 0, 0x2362f9de],
    ["aaaa", 0x9747b28c, 0x5a97808a],
    ["abc", 0, 0xb3dd93fa],
    ["Hello, world!", 0x9747b28c, 0x24884cba],
    ["The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd],
  ])("%p with seed %p", (text, seed, expected) => {
    expect(murmurhash3(text, seed)).toBe(expected);
  });

  test("hashes the UTF-8 bytes, not UTF-16 code units", () => {
    expect(murmurhash3("ππππππππ", 0x9747b28c)).toBe(0xd58063c1);
  });

  test("a key longer than the reused buffer hashes like the reference (murmurhash3js)", () => {
    expect(murmurhash3("x".repeat(100), 7)).toBe(702348661);
  });

  test("a prefix hashes as if joined to the text, ASCII or not", () => {
    for (const [prefix, text] of [
      ["group:", "user-1"],
      ["π:", "user-1"],
      ["group:", "ππ"],
      ["", ""],
    ]) {
      expect(murmurhash3(text!, 5, prefix)).toBe(murmurhash3(`${prefix}${text}`, 5));
    }
  });
});

describe("normalizedValue", () => {
  test("matches Unleash's buckets", () => {
    expect(normalizedValue("123", "gr1")).toBe(73);
    expect(normalizedValue("999", "groupX")).toBe(25);
  });

  test("stays within 1..normalizer", () => {
    for (let i = 0; i < 1000; i++) {
      const bucket = normalizedValue(`user-${i}`, "flag", 7);
      expect(bucket).toBeGreaterThanOrEqual(1);
      expect(bucket).toBeLessThanOrEqual(7);
    }
  });

  test("a group's precomputed buckets equal normalizedValue, whatever the group's length and the value's bytes", () => {
    for (const groupId of ["", "g", "gr", "gr1", "grp1", "group-12345", "grüppe"]) {
      for (const [normalizer, seed] of [
        [100, 0],
        [1000, 86028157],
      ] as const) {
        const bucket = bucketsOf(groupId, normalizer, seed);
        for (const value of ["", "1", "123", "user-42", "u".repeat(37), "ünïcode", "😀x"]) {
          expect(bucket(value)).toBe(normalizedValue(value, groupId, normalizer, seed));
        }
      }
    }
  });
});
