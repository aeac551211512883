import { randomBytes } from "node:crypto";
import { Int, invalid, Optional, type SettingsOf, Str } from "./setting-types";

export const authSettings = {
  JWT_SECRET: Optional("HS256 key, at least 32 bytes; required in production"),
  JWT_ISSUER: Str("saas-backend", "iss claim"),
  JWT_AUDIENCE: Str("saas-api", "aud claim"),
  ACCESS_TOKEN_TTL_SECONDS: Int(900, 30, 86_400, "access token lifetime"),
  REFRESH_TOKEN_TTL_SECONDS: Int(604_800, 60, 31_536_000, "absolute session lifetime"),
  REFRESH_TOKEN_CLEANUP_INTERVAL_SECONDS: Int(
    3_600,
    1,
    86_400,
    "how often expired sessions and tokens are deleted",
  ),
  SESSION_IDLE_TIMEOUT_SECONDS: Int(259_200, 60, 31_536_000, "a session not refreshed for this long ends"),
  REFRESH_REUSE_GRACE_SECONDS: Int(10, 0, 300, "a just-retired refresh token still works this long"),
  BCRYPT_COST: Int(12, 4, 31, "bcrypt work factor"),
  MFA_ENCRYPTION_KEY: Optional(
    "key material (at least 32 bytes) for the TOTP secrets stored encrypted; unset, derived from JWT_SECRET",
  ),
  MFA_ISSUER: Str("SaaS", "the product name authenticator apps show, before the tenant's name"),
};

export interface AuthConfig {
  jwtSecret: string;
  jwtSecretGenerated: boolean;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  sessionIdleTimeoutSeconds: number;
  cleanupIntervalSeconds: number;
  refreshReuseGraceSeconds: number;
  bcryptCost: number;
  /** Key material for MFA secrets at rest: MFA_ENCRYPTION_KEY, else JWT_SECRET (under another HKDF label). */
  mfaKeyMaterial: string;
  mfaIssuer: string;
}

/** Without JWT_SECRET a random one is made up (development only): tokens die with the process. */
export function authConfig(env: SettingsOf<typeof authSettings>, production: boolean): AuthConfig {
  if (env.JWT_SECRET !== undefined && Buffer.byteLength(env.JWT_SECRET) < 32) {
    throw invalid("JWT_SECRET must be at least 32 bytes long.");
  }
  if (env.MFA_ENCRYPTION_KEY !== undefined && Buffer.byteLength(env.MFA_ENCRYPTION_KEY) < 32) {
    throw invalid("MFA_ENCRYPTION_KEY must be at least 32 bytes long.");
  }
  if (production && env.JWT_SECRET === undefined) {
    throw invalid("JWT_SECRET is required when NODE_ENV=production.");
  }
  const jwtSecret = env.JWT_SECRET ?? randomBytes(48).toString("base64url");
  return {
    jwtSecret,
    jwtSecretGenerated: env.JWT_SECRET === undefined,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    sessionIdleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
    cleanupIntervalSeconds: env.REFRESH_TOKEN_CLEANUP_INTERVAL_SECONDS,
    refreshReuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
    bcryptCost: env.BCRYPT_COST,
    mfaKeyMaterial: env.MFA_ENCRYPTION_KEY ?? jwtSecret,
    mfaIssuer: env.MFA_ISSUER,
  };
}
