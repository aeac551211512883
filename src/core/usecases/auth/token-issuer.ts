import type { Role } from "../../domain/roles";
import { hashSecretToken, newSecretToken } from "../../domain/secret-token";
import type { IdGenerator } from "../../ports/id-generator";
import type { NewRefreshToken } from "../../ports/repositories";
import type { TokenSigner } from "../../ports/token-signer";

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  expiresIn: number;
}

/** Mints the tokens of a session: refresh tokens (raw for the client, hashed for storage) and pairs. */
export function makeTokenIssuer({ signer, ids }: { signer: TokenSigner; ids: IdGenerator }) {
  return {
    refreshToken(sessionId: string, now: Date, expiresAt: Date): { raw: string; record: NewRefreshToken } {
      const raw = newSecretToken();
      return {
        raw,
        record: { id: ids.next(), sessionId, tokenHash: hashSecretToken(raw), createdAt: now, expiresAt },
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
