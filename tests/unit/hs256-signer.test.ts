import { describe, expect, test } from "bun:test";
import { hs256Signer } from "../../src/adapters/security/hs256-signer";

const options = { secret: "k".repeat(40), issuer: "saas-backend", audience: "saas-api", ttlSeconds: 900 };
const signer = hs256Signer(options);
const claims = { sub: "user-1", tid: "tenant-1", sid: "session-1", role: "member" as const };
const now = new Date("2026-01-01T00:00:00Z");

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const parts = (token: string) => token.split(".") as [string, string, string];

describe("hs256Signer", () => {
  test("a signed token verifies to its claims with iat and exp", () => {
    const token = signer.sign(claims, now);
    expect(signer.verify(token, now)).toEqual({ ...claims, iat: 1767225600, exp: 1767225600 + 900 });
  });

  test("the token carries iss and aud", () => {
    const payload = JSON.parse(Buffer.from(parts(signer.sign(claims, now))[1], "base64url").toString());
    expect(payload).toMatchObject({ iss: "saas-backend", aud: "saas-api" });
  });

  test("an expired token is refused (after a small leeway)", () => {
    const token = signer.sign(claims, now);
    expect(signer.verify(token, new Date(now.getTime() + 902_000))).not.toBeNull();
    expect(signer.verify(token, new Date(now.getTime() + 906_000))).toBeNull();
  });

  test("a token issued in the future is refused", () => {
    const token = signer.sign(claims, new Date(now.getTime() + 60_000));
    expect(signer.verify(token, now)).toBeNull();
  });

  test("a changed payload is refused", () => {
    const [header, , signature] = parts(signer.sign(claims, now));
    const elevated = b64({
      ...claims,
      role: "super_admin",
      iat: 1767225600,
      exp: 1767226500,
      iss: "saas-backend",
      aud: "saas-api",
    });
    expect(signer.verify(`${header}.${elevated}.${signature}`, now)).toBeNull();
  });

  test("alg none and other headers are refused", () => {
    const [, payload] = parts(signer.sign(claims, now));
    expect(signer.verify(`${b64({ alg: "none", typ: "JWT" })}.${payload}.`, now)).toBeNull();
    expect(
      signer.verify(
        `${b64({ alg: "HS512", typ: "JWT" })}.${payload}.${parts(signer.sign(claims, now))[2]}`,
        now,
      ),
    ).toBeNull();
  });

  test("another secret, issuer or audience is refused", () => {
    const token = signer.sign(claims, now);
    expect(hs256Signer({ ...options, secret: "z".repeat(40) }).verify(token, now)).toBeNull();
    expect(hs256Signer({ ...options, issuer: "other" }).verify(token, now)).toBeNull();
    expect(hs256Signer({ ...options, audience: "other" }).verify(token, now)).toBeNull();
  });

  test("garbage is refused without throwing", () => {
    for (const garbage of [
      "",
      "a.b",
      "a.b.c.d",
      "...",
      "x.y.z",
      `${parts(signer.sign(claims, now))[0]}.@@.##`,
    ]) {
      expect(signer.verify(garbage, now)).toBeNull();
    }
  });

  test("a correctly signed payload with an unknown role is refused", () => {
    const other = hs256Signer(options);
    const token = other.sign({ ...claims, role: "owner" as never }, now);
    expect(signer.verify(token, now)).toBeNull();
  });

  test("only the canonical spelling of the signature is accepted", () => {
    const token = signer.sign(claims, now);
    const [header, payload, signature] = parts(token);
    const variants = [
      `${signature}=`,
      signature.replaceAll("-", "+").replaceAll("_", "/"),
      `${signature}AA`,
      `${signature.slice(0, -1)}${signature.at(-1) === "A" ? "B" : "A"}`,
    ].filter((variant) => variant !== signature);
    for (const variant of variants) expect(signer.verify(`${header}.${payload}.${variant}`, now)).toBeNull();
    // The last base64url character carries 2 spare bits: every other letter for them decodes to the
    // same bytes, and must be refused all the same.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const accepted = [...alphabet].filter((c) =>
      signer.verify(`${header}.${payload}.${signature.slice(0, -1)}${c}`, now),
    );
    expect(accepted).toEqual([signature.at(-1)!]);
  });
});
