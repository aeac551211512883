import { describe, expect, test } from "bun:test";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "../../src/http/json-depth";

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("exceedsJsonDepth", () => {
  test("counts arrays and objects together, and only past the limit", () => {
    expect(exceedsJsonDepth('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(exceedsJsonDepth('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  test("siblings do not add up: depth is nesting, not the number of containers", () => {
    expect(exceedsJsonDepth(`[${Array(1_000).fill("[[1]]").join(",")}]`, 3)).toBe(false);
  });

  test("brackets inside strings, escaped quotes and escaped backslashes included, do not count", () => {
    expect(exceedsJsonDepth(JSON.stringify({ a: "[[[[[[[[", b: '"[[[[[[', c: "\\", d: "{{{{{{" }), 2)).toBe(
      false,
    );
    expect(exceedsJsonDepth(`[${JSON.stringify("\\")},[[1]]]`, 2)).toBe(true);
  });

  test("an unterminated string ends the scan without an answer of too deep", () => {
    expect(exceedsJsonDepth(`["${"[".repeat(100)}`, 2)).toBe(false);
  });

  test("a body a million levels deep is answered at once: the scan stops one level past the limit", () => {
    expect(exceedsJsonDepth(nested(1_000_000))).toBe(true);
    expect(exceedsJsonDepth(`${'{"a":'.repeat(1_000_000)}1${"}".repeat(1_000_000)}`)).toBe(true);
  });
});
