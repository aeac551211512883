import { describe, expect, test } from "bun:test";
import { constraintMatches } from "../../../src/core/domain/flags/constraints";
import { toJavaScriptPattern } from "../../../src/core/domain/flags/regex-pattern";
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

describe("toJavaScriptPattern", () => {
  test("scopes inline flags to the rest of their group", () => {
    expect(toJavaScriptPattern("a(?i)b|c")).toBe("a(?i:b)|c");
    expect(toJavaScriptPattern("(x(?s).)y")).toBe("(x(?s:.))y");
  });
});
