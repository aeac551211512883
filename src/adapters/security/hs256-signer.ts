import { createHmac, timingSafeEqual } from "node:crypto";
import { isRole } from "../../core/domain/roles";
import type { AccessClaims, TokenSigner } from "../../core/ports/token-signer";

export interface Hs256Options {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  /** Tolerated clock difference between instances. */
  leewaySeconds?: number;
}

/** An HMAC-SHA256 in unpadded base64url: 43 characters. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

const VERIFIED_TOKENS_KEPT = 10_000;

function inTime(claims: AccessClaims, now: Date, leewaySeconds: number): boolean {
  const nowSeconds = now.getTime() / 1000;
  return claims.exp + leewaySeconds > nowSeconds && claims.iat - leewaySeconds <= nowSeconds;
}

const HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

interface Payload extends AccessClaims {
  iss: string;
  aud: string;
}

function isPayload(value: unknown): value is Payload {
  if (!value || typeof value !== "object") return false;
  const p = value as Record<string, unknown>;
  return (
    typeof p.sub === "string" &&
    typeof p.tid === "string" &&
    typeof p.sid === "string" &&
    typeof p.role === "string" &&
    isRole(p.role) &&
    Number.isInteger(p.iat) &&
    Number.isInteger(p.exp)
  );
}

/**
 * HS256 JWTs with node:crypto's HMAC. Only our own fixed header is accepted (so `alg: none` and
 * algorithm confusion cannot apply), the signature is compared in constant time, and `iss`, `aud`,
 * `exp` and `iat` are checked. node:crypto's HMAC costs a fraction of WebCrypto's async verify that
 * jose uses, and this check sits on every authenticated request.
 */
export function hs256Signer({
  secret,
  issuer,
  audience,
  ttlSeconds,
  leewaySeconds = 5,
}: Hs256Options): TokenSigner {
  const key = Buffer.from(secret, "utf8");
  const mac = (input: string) => createHmac("sha256", key).update(input).digest();
  // Tokens whose signature and issuer checked out, so a client's next request skips the HMAC and the
  // parsing: only the time checks depend on when it is used. Keyed by the whole token; bounded.
  let verified = new Map<string, AccessClaims>();

  return {
    ttlSeconds,
    sign(claims, issuedAt) {
      const iat = Math.floor(issuedAt.getTime() / 1000);
      const payload: Payload = { ...claims, iat, exp: iat + ttlSeconds, iss: issuer, aud: audience };
      const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
      return `${body}.${mac(body).toString("base64url")}`;
    },
    verify(token, now) {
      const known = verified.get(token);
      if (known) return inTime(known, now, leewaySeconds) ? known : null;
      const parts = token.split(".");
      if (parts.length !== 3 || parts[0] !== HEADER) return null;
      const [header, payload, signature] = parts as [string, string, string];
      // Compare the text, not decoded bytes: base64url decoding is lenient (padding, +/, trailing
      // bits), so byte comparison would accept many spellings of one signature.
      if (!SIGNATURE.test(signature)) return null;
      const expected = Buffer.from(mac(`${header}.${payload}`).toString("base64url"));
      if (!timingSafeEqual(Buffer.from(signature), expected)) return null;

      let claims: unknown;
      try {
        claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      } catch {
        return null;
      }
      if (!isPayload(claims) || claims.iss !== issuer || claims.aud !== audience) return null;
      const { sub, tid, sid, role, iat, exp } = claims;
      const result: AccessClaims = Object.freeze({ sub, tid, sid, role, iat, exp });
      if (verified.size >= VERIFIED_TOKENS_KEPT) verified = new Map();
      verified.set(token, result);
      return inTime(result, now, leewaySeconds) ? result : null;
    },
  };
}
