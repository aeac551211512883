import { describe, expect, test } from "bun:test";
import { aesGcmSecretBox, mfaEncryptionKey } from "../../src/adapters/security/aes-gcm-secret-box";
import { otpauthTotp } from "../../src/adapters/security/otpauth-totp";

// RFC 6238 appendix B, SHA-1: the seed "12345678901234567890" (base32 below) and its 8-digit codes;
// a 6-digit code is the last six digits of the same truncation (RFC 4226 section 5.3).
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS: [seconds: number, code8: string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

const totp = otpauthTotp();
const at = (seconds: number) => new Date(seconds * 1000);

describe("TOTP (otpauth, SHA-1, 6 digits, 30 s)", () => {
  test("accepts RFC 6238's test vectors at their time, as the step they belong to", () => {
    for (const [seconds, code8] of RFC_VECTORS) {
      expect(totp.matchStep(RFC_SECRET, code8.slice(2), at(seconds))).toBe(Math.floor(seconds / 30));
    }
  });

  test("allows one step of drift either way and no more", () => {
    const code = "050471"; // step 37037037 (T = 1111111111)
    expect(totp.matchStep(RFC_SECRET, code, at(1111111111 + 30))).toBe(37037037);
    expect(totp.matchStep(RFC_SECRET, code, at(1111111111 - 30))).toBe(37037037);
    expect(totp.matchStep(RFC_SECRET, code, at(1111111111 + 60))).toBeNull();
    expect(totp.matchStep(RFC_SECRET, code, at(1111111111 - 60))).toBeNull();
  });

  test("refuses a wrong code", () => {
    expect(totp.matchStep(RFC_SECRET, "050472", at(1111111111))).toBeNull();
  });

  test("a new secret is 160 random bits in base32; the URI is what authenticator apps scan", () => {
    const secret = totp.newSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(totp.newSecret()).not.toBe(secret);
    const uri = new URL(totp.uri(secret, "ann@acme.test", "SaaS (Acme)"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("issuer")).toBe("SaaS (Acme)");
    expect(uri.searchParams.get("algorithm")).toBe("SHA1");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
  });
});

describe("secrets sealed at rest (AES-256-GCM)", () => {
  const box = aesGcmSecretBox(mfaEncryptionKey("k".repeat(40)));

  test("opens what it sealed; the sealed text does not contain the secret and differs each time", () => {
    const sealed = box.seal(RFC_SECRET);
    expect(sealed).not.toContain(RFC_SECRET);
    expect(box.seal(RFC_SECRET)).not.toBe(sealed);
    expect(box.open(sealed)).toBe(RFC_SECRET);
  });

  test("refuses a tampered text and a text sealed under another key", () => {
    const sealed = box.seal(RFC_SECRET);
    const [version, iv, body, tag] = sealed.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0]! ^= 1;
    expect(() => box.open([version, iv, flipped.toString("base64url"), tag].join("."))).toThrow();
    expect(() => aesGcmSecretBox(mfaEncryptionKey("j".repeat(40))).open(sealed)).toThrow();
  });

  test("the key differs from the key material it is derived from", () => {
    expect(mfaEncryptionKey("k".repeat(40)).toString()).not.toBe("k".repeat(32));
    expect(mfaEncryptionKey("k".repeat(40))).toHaveLength(32);
  });
});
