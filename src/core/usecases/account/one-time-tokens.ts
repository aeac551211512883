import { hashSecretToken, newSecretToken } from "../../domain/secret-token";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { OneTimePurpose, Repositories } from "../../ports/repositories";

/** Issues a single-use token (any older unused one of its kind stops working); returns the raw value. */
export async function issueOneTimeToken(
  repos: Repositories,
  { clock, ids }: { clock: Clock; ids: IdGenerator },
  token: { tenantId: string; userId: string; purpose: OneTimePurpose; ttlSeconds: number; newEmail?: string },
): Promise<string> {
  const raw = newSecretToken();
  const now = clock.now();
  await repos.oneTimeTokens.issue({
    id: ids.next(),
    tenantId: token.tenantId,
    userId: token.userId,
    purpose: token.purpose,
    newEmail: token.newEmail ?? null,
    tokenHash: hashSecretToken(raw),
    createdAt: now,
    expiresAt: new Date(now.getTime() + token.ttlSeconds * 1000),
  });
  return raw;
}
