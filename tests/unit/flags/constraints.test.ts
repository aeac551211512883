import { describe, expect, test } from "bun:test";
import { constraintMatches } from "../../../src/core/domain/flags/constraints";
import type { FlagConstraint, FlagContext } from "../../../src/core/domain/flags/types";

const check = (constraint: FlagConstraint, context: FlagContext) => constraintMatches(constraint, context);

describe("constraint operators", () => {
  test("IN reads our own context fields and properties", () => {
    expect(
      check({ contextName: "plan", operator: "IN", values: ["pro", "enterprise"] }, { plan: "pro" }),
    ).toBe(true);
    expect(
      check({ contextName: "region", operator: "IN", values: ["eu"] }, { properties: { region: "eu" } }),
    ).toBe(true);
    expect(check({ contextName: "role", operator: "NOT_IN", values: ["owner"] }, {})).toBe(true);
  });

  test("string operators honour caseInsensitive and inverted", () => {
    const constraint = { contextName: "tenantSlug", operator: "STR_STARTS_WITH", values: ["acme"] };
    expect(check(constraint, { tenantSlug: "ACME-labs" })).toBe(false);
    expect(check({ ...constraint, caseInsensitive: true }, { tenantSlug: "ACME-labs" })).toBe(true);
    expect(check({ ...constraint, inverted: true }, { tenantSlug: "ACME-labs" })).toBe(true);
  });

  test("numbers, dates and versions that do not parse are false", () => {
    expect(
      check({ contextName: "seats", operator: "NUM_GT", value: "10" }, { properties: { seats: "11" } }),
    ).toBe(true);
    expect(
      check({ contextName: "seats", operator: "NUM_GT", value: "10" }, { properties: { seats: "many" } }),
    ).toBe(false);
    const after = { contextName: "currentTime", operator: "DATE_AFTER", value: "2026-01-01T00:00:00Z" };
    expect(check(after, { currentTime: "2026-06-01T00:00:00Z" })).toBe(true);
    expect(check({ ...after, value: "not a date" }, { currentTime: "2026-06-01T00:00:00Z" })).toBe(false);
    const semver = { contextName: "version", operator: "SEMVER_LT", value: "2.0.0" };
    expect(check(semver, { properties: { version: "2.0.0-rc.1" } })).toBe(true);
    expect(check(semver, { properties: { version: "v1.0.0" } })).toBe(false);
  });

  test("an unknown operator is false even when inverted", () => {
    expect(
      check({ contextName: "userId", operator: "NOPE", values: ["a"], inverted: true }, { userId: "a" }),
    ).toBe(false);
  });

  test("IN_CIDR matches IPv4 and IPv6 ranges and rejects garbage", () => {
    const constraint = {
      contextName: "remoteAddress",
      operator: "IN_CIDR",
      values: ["10.0.0.0/8", "2001:db8::/32"],
    };
    expect(check(constraint, { remoteAddress: "10.1.2.3" })).toBe(true);
    expect(check(constraint, { remoteAddress: "2001:db8:1::1" })).toBe(true);
    expect(check(constraint, { remoteAddress: "192.168.0.1" })).toBe(false);
    expect(check(constraint, { remoteAddress: "not-an-ip" })).toBe(false);
    expect(check({ ...constraint, values: ["10.0.0.0/99"] }, { remoteAddress: "10.1.2.3" })).toBe(false);
  });

  test("REGEX follows RE2 syntax and an invalid pattern is false", () => {
    const regex = (value: string, userId: string) =>
      check({ contextName: "userId", operator: "REGEX", value }, { userId });
    expect(regex("^(?i)abc$", "AbC")).toBe(true);
    expect(regex("^[[:digit:]]+$", "123")).toBe(true);
    expect(regex("(unclosed", "unclosed")).toBe(false);
    expect(regex("^(a)\\1$", "aa")).toBe(false);
  });
});

describe("REGEX runs on RE2", () => {
  const regex = (value: string, userId: string, more: Partial<FlagConstraint> = {}) =>
    check({ contextName: "userId", operator: "REGEX", value, ...more }, { userId });
  const hostile = `${"a".repeat(40)}!`;

  test("a catastrophic-backtracking pattern answers without backtracking", () => {
    expect(regex("^(a+)+$", hostile)).toBe(false);
    expect(regex("^(a+)+$", hostile, { inverted: true })).toBe(true);
    expect(regex("^(a|a)*$", hostile, { inverted: true, caseInsensitive: true })).toBe(true);
    expect(regex("^(a+)+$", "a".repeat(40))).toBe(true);
  });

  test("inline flags apply to the rest of their group, as in RE2", () => {
    expect(regex("a(?i)b|c", "aB")).toBe(true);
    expect(regex("a(?i)b|c", "C")).toBe(true);
    expect(regex("(x(?s).)y", "x\ny")).toBe(true);
    expect(regex("(?P<word>[[:alpha:]]+)\\d", "abc1")).toBe(true);
  });

  test("caseInsensitive matches either case; without it case counts", () => {
    expect(regex("^ADMIN-[0-9]+$", "admin-42", { caseInsensitive: true })).toBe(true);
    expect(regex("^ADMIN-[0-9]+$", "admin-42")).toBe(false);
  });
});

describe("context lookups read own fields only", () => {
  test.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])(
    "a constraint on %s sees a missing field",
    (contextName) => {
      const context: FlagContext = { userId: "u", properties: { plan: "pro" } };
      expect(check({ contextName, operator: "STR_STARTS_WITH", values: ["function"] }, context)).toBe(false);
      expect(check({ contextName, operator: "STR_CONTAINS", values: ["[object"] }, context)).toBe(false);
      expect(check({ contextName, operator: "IN", values: ["x"], inverted: true }, context)).toBe(true);
      expect(check({ contextName, operator: "NOT_IN", values: ["x"] }, context)).toBe(true);
      expect(check({ contextName, operator: "REGEX", value: "." }, context)).toBe(false);
    },
  );

  test("a property the caller did send under such a name is an ordinary value", () => {
    const properties = JSON.parse('{"__proto__": "shadow", "constructor": "builder"}');
    expect(check({ contextName: "__proto__", operator: "IN", values: ["shadow"] }, { properties })).toBe(
      true,
    );
    expect(check({ contextName: "constructor", operator: "IN", values: ["builder"] }, { properties })).toBe(
      true,
    );
  });

  test("a null property is absent", () => {
    const context: FlagContext = { properties: { region: null } };
    expect(check({ contextName: "region", operator: "IN", values: ["eu"] }, context)).toBe(false);
    expect(check({ contextName: "region", operator: "NOT_IN", values: ["eu"] }, context)).toBe(true);
    expect(check({ contextName: "region", operator: "STR_CONTAINS", values: ["null"] }, context)).toBe(false);
  });
});

describe("IN_CIDR", () => {
  test("matches across hundreds of ranges, IPv4-mapped IPv6 included, and merges overlaps", () => {
    const values = Array.from({ length: 250 }, (_, i) => `10.${i}.0.0/16`);
    const constraint = {
      contextName: "remoteAddress",
      operator: "IN_CIDR",
      values: [...values, "10.0.0.0/8"],
    };
    expect(check(constraint, { remoteAddress: "10.249.3.4" })).toBe(true);
    expect(check(constraint, { remoteAddress: "10.255.0.1" })).toBe(true);
    expect(check(constraint, { remoteAddress: "::ffff:10.1.2.3" })).toBe(true);
    expect(check(constraint, { remoteAddress: "11.0.0.1" })).toBe(false);
    expect(check({ ...constraint, inverted: true }, { remoteAddress: "11.0.0.1" })).toBe(true);
  });
});
