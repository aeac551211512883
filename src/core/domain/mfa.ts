import { createHash, randomBytes } from "node:crypto";
import { type Role, roleAtLeast } from "./roles";

/** A tenant's rule for who must sign in with a second factor (tenant setting `mfaRequired`). */
export const MFA_POLICIES = ["none", "admins", "all"] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

export function isMfaPolicy(value: unknown): value is MfaPolicy {
  return typeof value === "string" && (MFA_POLICIES as readonly string[]).includes(value);
}

/** The tenant's policy from its settings; absent (or, defensively, unknown) means `none`. */
export function mfaPolicyOf(settings: Record<string, unknown>): MfaPolicy {
  const value = settings.mfaRequired;
  return isMfaPolicy(value) ? value : "none";
}

/** Whether the policy asks a user of this role for a second factor. */
export function mfaRequiredFor(policy: MfaPolicy, role: Role): boolean {
  return policy === "all" || (policy === "admins" && roleAtLeast(role, "admin"));
}

export const MFA_METHODS = ["totp", "recovery"] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

/** What a sign-in whose password checked out answers when the user has a second factor. */
export interface MfaChallengeAnswer {
  mfaRequired: true;
  mfaToken: string;
  methods: MfaMethod[];
}

export const MFA_TOKEN_TTL_SECONDS = 300;
/** Wrong codes that kill an mfaToken. */
export const MFA_TOKEN_MAX_FAILURES = 5;
export const RECOVERY_CODE_COUNT = 10;

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** One recovery code: 10 base32 characters (50 random bits) shown as `xxxxx-xxxxx`. */
function newRecoveryCode(): string {
  const chars = [...randomBytes(10)].map((byte) => BASE32[byte & 31]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

/**
 * What is stored of a recovery code: the SHA-256 of its normalised form (lower case, no separators).
 * A plain hash suffices: the codes are random, not chosen by people, so there is no dictionary to try.
 */
export function recoveryCodeHash(code: string): string {
  const normalised = code.toLowerCase().replace(/[^a-z2-7]/g, "");
  return createHash("sha256").update(normalised).digest("hex");
}

/** A TOTP code is six digits; anything else can only be a recovery code. */
export function isTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code);
}
