import { describe, expect, test } from "bun:test";
import {
  allowedOriginsFor,
  apiKeyKindOf,
  displayPrefix,
  newApiKeySecret,
  permissionsWithin,
} from "../../src/core/domain/api-key";
import { ValidationError } from "../../src/core/domain/errors";
import type { Permission } from "../../src/core/domain/permissions";
import { hashSecretToken } from "../../src/core/domain/secret-token";

describe("API key secrets", () => {
  test("each kind has its prefix, then 54 base64url characters (320 random bits)", () => {
    expect(newApiKeySecret("api")).toMatch(/^sk_[A-Za-z0-9_-]{54}$/);
    expect(newApiKeySecret("client")).toMatch(/^ck_[A-Za-z0-9_-]{54}$/);
    expect(newApiKeySecret("frontend")).toMatch(/^fk_[A-Za-z0-9_-]{54}$/);
    expect(Buffer.from(newApiKeySecret("api").slice(3), "base64url")).toHaveLength(40);
  });

  test("1,000 secrets are all different and use the whole alphabet", () => {
    const secrets = Array.from({ length: 1000 }, () => newApiKeySecret("api"));
    expect(new Set(secrets).size).toBe(1000);
    expect(new Set(secrets.join("").replaceAll("sk_", "")).size).toBe(64);
  });

  test("the kind is read from the shape; anything else is no key", () => {
    expect(apiKeyKindOf(newApiKeySecret("client"))).toBe("client");
    expect(apiKeyKindOf(`sk_${"a".repeat(53)}`)).toBeNull();
    expect(apiKeyKindOf(`xk_${"a".repeat(54)}`)).toBeNull();
    expect(apiKeyKindOf(`sk_${"a".repeat(53)}!`)).toBeNull();
    expect(apiKeyKindOf("eyJ.a.b")).toBeNull();
  });

  test("the displayed prefix is the kind prefix and 8 characters, leaving 46 (276 bits) unknown", () => {
    const secret = newApiKeySecret("api");
    expect(displayPrefix("api", secret)).toBe(secret.slice(0, 11));
    expect(secret.length - displayPrefix("api", secret).length).toBe(46);
  });

  test("stored as its SHA-256, hex: 64 characters that never contain the secret", () => {
    const secret = newApiKeySecret("api");
    expect(hashSecretToken(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecretToken(secret)).toBe(hashSecretToken(secret));
    expect(hashSecretToken(secret)).not.toBe(hashSecretToken(newApiKeySecret("api")));
  });
});

describe("permissionsWithin (no escalation)", () => {
  const ceiling = new Set<Permission>(["users:read", "flags:read", "flags:write"]);

  test("a subset is kept, in catalog order, without duplicates", () => {
    expect(permissionsWithin(["flags:write", "users:read", "flags:write"], ceiling)).toEqual([
      "users:read",
      "flags:write",
    ]);
    expect(permissionsWithin([], ceiling)).toEqual([]);
  });

  test("anything beyond the ceiling is refused, naming it", () => {
    let error: unknown;
    try {
      permissionsWithin(["users:read", "users:delete", "tenants:read"], ceiling);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe("PERMISSION_NOT_HELD");
    expect((error as ValidationError).errors[0]!.message).toContain("users:delete, tenants:read");
  });
});

describe("allowedOriginsFor", () => {
  test("a frontend key keeps exact origins, lower-cased, once", () => {
    expect(
      allowedOriginsFor("frontend", [
        "https://App.example.com",
        "https://app.example.com",
        "http://localhost:5173",
      ]),
    ).toEqual(["https://app.example.com", "http://localhost:5173"]);
  });

  test("paths, wildcards and other schemes are not origins", () => {
    for (const origin of ["https://a.example/path", "*", "ftp://a.example", "https://*.example.com"]) {
      expect(() => allowedOriginsFor("frontend", [origin])).toThrow(ValidationError);
    }
  });

  test("other kinds list none", () => {
    expect(allowedOriginsFor("api", undefined)).toEqual([]);
    expect(() => allowedOriginsFor("client", ["https://a.example"])).toThrow(ValidationError);
  });
});
