import { isTotpCode, type MfaMethod, recoveryCodeHash } from "../../domain/mfa";
import type { MfaFactor } from "../../ports/mfa-repository";
import type { SecretBox } from "../../ports/secret-box";
import type { Totp } from "../../ports/totp";

export interface SecondFactorDeps {
  totp: Totp;
  box: SecretBox;
}

export interface AcceptedCode {
  method: MfaMethod;
  /** What to record so the code cannot be used again. */
  use: { lastUsedStep?: number; recoveryCodeHashes?: string[] };
}

/**
 * Checks a code against a factor read locked: a TOTP code of a time step after the last one accepted
 * (so a code, even one seen over a shoulder, works once), or one of the unused recovery codes.
 */
export function acceptCode(
  { totp, box }: SecondFactorDeps,
  factor: MfaFactor,
  code: string,
  at: Date,
  methods: readonly MfaMethod[] = ["totp", "recovery"],
): AcceptedCode | null {
  const trimmed = code.trim();
  if (isTotpCode(trimmed)) {
    if (!methods.includes("totp")) return null;
    const step = totp.matchStep(box.open(factor.secretSealed), trimmed, at);
    if (step === null || (factor.lastUsedStep !== null && step <= factor.lastUsedStep)) return null;
    return { method: "totp", use: { lastUsedStep: step } };
  }
  if (!methods.includes("recovery")) return null;
  const hash = recoveryCodeHash(trimmed);
  if (!factor.recoveryCodeHashes.includes(hash)) return null;
  return {
    method: "recovery",
    use: { recoveryCodeHashes: factor.recoveryCodeHashes.filter((stored) => stored !== hash) },
  };
}
