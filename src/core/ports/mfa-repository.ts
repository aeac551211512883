import type { Session } from "../domain/session";

/** A user's TOTP factor; `confirmedAt` null while the enrolment awaits its first code. */
export interface MfaFactor {
  userId: string;
  tenantId: string;
  secretSealed: string;
  confirmedAt: Date | null;
  lastUsedStep: number | null;
  recoveryCodeHashes: string[];
}

export interface MfaChallenge {
  id: string;
  tenantId: string;
  userId: string;
  cookieSession: boolean;
  failures: number;
  expiresAt: Date;
  endedAt: Date | null;
}

export interface NewMfaChallenge {
  id: string;
  tenantId: string;
  userId: string;
  tokenHash: string;
  cookieSession: boolean;
  createdAt: Date;
  expiresAt: Date;
}

/** Every method is scoped by tenant and user, but challenges, which are found by their token. */
export interface MfaRepository {
  /** The factor, locked until the transaction ends so two uses of one code take turns. */
  findFactorLocked(tenantId: string, userId: string): Promise<MfaFactor | null>;
  /** Stores a pending factor, replacing a pending one; never touches a confirmed factor (returns false). */
  savePending(tenantId: string, userId: string, secretSealed: string, at: Date): Promise<boolean>;
  confirm(
    tenantId: string,
    userId: string,
    step: number,
    recoveryCodeHashes: string[],
    at: Date,
  ): Promise<void>;
  /** Records what a successful code used up: its time step, or a recovery code now gone. */
  recordUse(
    tenantId: string,
    userId: string,
    use: { lastUsedStep?: number; recoveryCodeHashes?: string[] },
    at: Date,
  ): Promise<void>;
  deleteFactor(tenantId: string, userId: string): Promise<boolean>;
  createChallenge(challenge: NewMfaChallenge): Promise<void>;
  /** The challenge with this token hash, locked, whatever its state. */
  findChallengeLocked(tokenHash: string): Promise<MfaChallenge | null>;
  /** Counts a wrong code; returns the failures so far. */
  recordChallengeFailure(id: string): Promise<number>;
  endChallenge(id: string, at: Date): Promise<void>;
  /** Lifts the enrolment-only restriction from the user's sessions; returns them. */
  releaseEnrolmentSessions(tenantId: string, userId: string): Promise<Session[]>;
  /** Marks a session as having passed a second factor. */
  markSessionMfa(sessionId: string): Promise<Session | null>;
}
