import type { Role } from "../domain/roles";

/** The claims of an access token. */
export interface AccessClaims {
  sub: string;
  tid: string;
  sid: string;
  role: Role;
  iat: number;
  exp: number;
}

export interface TokenSigner {
  /** Signs an access token valid for the configured lifetime from `issuedAt`. */
  sign(claims: Omit<AccessClaims, "iat" | "exp">, issuedAt: Date): string;
  /** Returns the claims of a well-formed, correctly signed, unexpired token, else null. */
  verify(token: string, now: Date): AccessClaims | null;
  readonly ttlSeconds: number;
}
