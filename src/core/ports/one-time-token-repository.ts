export type OneTimePurpose = "email_verification" | "password_reset" | "email_change" | "invitation";

export interface OneTimeToken {
  id: string;
  tenantId: string;
  userId: string;
  purpose: OneTimePurpose;
  newEmail: string | null;
  expiresAt: Date;
}

export interface NewOneTimeToken extends OneTimeToken {
  tokenHash: string;
  createdAt: Date;
  /** Who asked for it, when not the user themself. */
  requestedBy?: string | null;
}

/** Single-use secrets sent by email. Only their hashes are stored. */
export interface OneTimeTokenRepository {
  /** Stores the token and deletes the user's unused older tokens of the same purpose. */
  issue(token: NewOneTimeToken): Promise<void>;
  /** The unused, unexpired token with this hash and purpose, without using it. */
  peek(tokenHash: string, purpose: OneTimePurpose, now: Date): Promise<OneTimeToken | null>;
  /** Deletes the unused tokens a user requested for others: their authority to do so has changed. */
  discardRequestedBy(requesterId: string): Promise<void>;
  /**
   * Deletes every unused token of the user, whatever its purpose: a link mailed before the account
   * changed (its address, its password, its activity) must not act on the account as it is now.
   */
  discardAllFor(tenantId: string, userId: string): Promise<void>;
  /** Marks the token used, atomically: of two concurrent consumers only one gets it. */
  consume(tokenHash: string, purpose: OneTimePurpose, now: Date): Promise<OneTimeToken | null>;
}
