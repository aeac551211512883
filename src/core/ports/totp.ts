/** RFC 6238 time-based one-time passwords: SHA-1, 6 digits, 30-second steps. */
export interface Totp {
  /** A new random shared secret, base32 as authenticator apps take it. */
  newSecret(): string;
  /** The `otpauth://totp/...` URI an authenticator app scans. */
  uri(secret: string, account: string, issuer: string): string;
  /** The time step `code` belongs to at `at`, allowing one step of drift either way; null when wrong. */
  matchStep(secret: string, code: string, at: Date): number | null;
}
