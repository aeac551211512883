import { describe, expect, test } from "bun:test";
import { canonicalJson, chainHash, GENESIS_HASH } from "../../src/core/domain/audit-chain";

describe("canonicalJson", () => {
  test("sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null }, e: undefined })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  test("the same value in another key order gives the same text", () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
  });
});

describe("chainHash", () => {
  test("is SHA-256 over the previous hash and the canonical event", () => {
    const event = { seq: 1, action: "user.created" };
    const expected = new Bun.CryptoHasher("sha256").update(GENESIS_HASH + canonicalJson(event)).digest("hex");
    expect(chainHash(GENESIS_HASH, event)).toBe(expected);
  });

  test("changes when any field or the previous hash changes", () => {
    const base = chainHash(GENESIS_HASH, { seq: 1, action: "a" });
    expect(chainHash(GENESIS_HASH, { seq: 1, action: "b" })).not.toBe(base);
    expect(chainHash("f".repeat(64), { seq: 1, action: "a" })).not.toBe(base);
  });
});
