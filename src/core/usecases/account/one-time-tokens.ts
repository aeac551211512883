import { ValidationError } from "../../domain/errors";
import { hashSecretToken, newSecretToken } from "../../domain/secret-token";
import type { User } from "../../domain/user";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { OneTimePurpose, OneTimeToken, Repositories } from "../../ports/repositories";
import { invalidTokenMessage } from "./links";

/** Issues a single-use token (any older unused one of its kind stops working); returns the raw value. */
export async function issueOneTimeToken(
  repos: Repositories,
  { clock, ids }: { clock: Clock; ids: IdGenerator },
  token: {
    tenantId: string;
    userId: string;
    purpose: OneTimePurpose;
    ttlSeconds: number;
    newEmail?: string;
    requestedBy?: string | null;
  },
): Promise<string> {
  const raw = newSecretToken();
  const now = clock.now();
  await repos.oneTimeTokens.issue({
    id: ids.next(),
    tenantId: token.tenantId,
    userId: token.userId,
    purpose: token.purpose,
    newEmail: token.newEmail ?? null,
    requestedBy: token.requestedBy ?? null,
    tokenHash: hashSecretToken(raw),
    createdAt: now,
    expiresAt: new Date(now.getTime() + token.ttlSeconds * 1000),
  });
  return raw;
}

/** Uses a token of `purpose` and returns it with its user; a used, expired or unknown token is 422. */
export async function redeemOneTimeToken(
  repos: Repositories,
  token: string,
  purpose: OneTimePurpose,
  now: Date,
): Promise<{ used: OneTimeToken; user: User }> {
  const used = await repos.oneTimeTokens.consume(hashSecretToken(token), purpose, now);
  const user = used && (await repos.users.findById(used.tenantId, used.userId));
  if (!used || !user) throw new ValidationError("INVALID_TOKEN", invalidTokenMessage);
  return { used, user };
}
