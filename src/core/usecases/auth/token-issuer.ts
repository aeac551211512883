import type { MfaChallengeAnswer } from "../../domain/mfa";
import type { Role } from "../../domain/roles";
import { hashSecretToken, newSecretToken } from "../../domain/secret-token";
import type { IdGenerator } from "../../ports/id-generator";
import type { NewRefreshToken } from "../../ports/repositories";
import type { TokenDeriver } from "../../ports/token-deriver";
import type { TokenSigner } from "../../ports/token-signer";

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  expiresIn: number;
}

/**
 * What a sign-in answers: a token pair (flagged when the session may only enrol a second factor), or
 * the challenge of a user who has one.
 */
export type SignInResult = (TokenPair & { mfaEnrollmentRequired?: true }) | MfaChallengeAnswer;

/**
 * Mints the tokens of a session: refresh tokens (raw for the client, hashed for storage) and pairs.
 * A session's first refresh token is random; each successor is derived from the token it replaces,
 * so presenting the same token twice yields the same successor and the chain never forks.
 */
export function makeTokenIssuer({
  signer,
  ids,
  deriver,
}: {
  signer: TokenSigner;
  ids: IdGenerator;
  deriver: TokenDeriver;
}) {
  return {
    /** The raw successor of a refresh token: always the same for the same token. */
    successorOf: (refreshToken: string) => deriver.derive(refreshToken),
    /** A refresh token of the session, stored with the session's tenant. */
    refreshToken(
      session: { id: string; tenantId: string },
      now: Date,
      expiresAt: Date,
      raw: string = newSecretToken(),
    ): { raw: string; record: NewRefreshToken } {
      return {
        raw,
        record: {
          id: ids.next(),
          tenantId: session.tenantId,
          sessionId: session.id,
          tokenHash: hashSecretToken(raw),
          createdAt: now,
          expiresAt,
        },
      };
    },
    pair(
      user: { id: string; tenantId: string; role: Role },
      sessionId: string,
      now: Date,
      refreshToken: string,
    ): TokenPair {
      const accessToken = signer.sign(
        { sub: user.id, tid: user.tenantId, sid: sessionId, role: user.role },
        now,
      );
      return { accessToken, refreshToken, tokenType: "Bearer", expiresIn: signer.ttlSeconds };
    },
  };
}

export type TokenIssuer = ReturnType<typeof makeTokenIssuer>;
