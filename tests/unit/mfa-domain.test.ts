import { describe, expect, test } from "bun:test";
import { mfaPolicyOf, mfaRequiredFor, newRecoveryCodes, recoveryCodeHash } from "../../src/core/domain/mfa";
import { assertValidSettings } from "../../src/core/domain/tenant-rules";

describe("tenant policy mfaRequired", () => {
  test("admins covers admins and super admins only; all covers everyone; absent means none", () => {
    expect(mfaRequiredFor("admins", "admin")).toBe(true);
    expect(mfaRequiredFor("admins", "super_admin")).toBe(true);
    expect(mfaRequiredFor("admins", "member")).toBe(false);
    expect(mfaRequiredFor("all", "guest")).toBe(true);
    expect(mfaRequiredFor("none", "super_admin")).toBe(false);
    expect(mfaPolicyOf({})).toBe("none");
    expect(mfaPolicyOf({ mfaRequired: "all" })).toBe("all");
  });

  test("settings refuse an unknown policy", () => {
    expect(() => assertValidSettings({ mfaRequired: "sometimes" })).toThrow("mfaRequired must be one of");
    expect(() => assertValidSettings({ mfaRequired: "admins" })).not.toThrow();
  });
});

describe("recovery codes", () => {
  test("ten distinct codes of 50 random bits, matched whatever the case or separators typed", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const [code] = codes;
    expect(recoveryCodeHash(code!.toUpperCase().replace("-", " "))).toBe(recoveryCodeHash(code!));
    expect(recoveryCodeHash(code!)).toMatch(/^[0-9a-f]{64}$/);
  });
});
