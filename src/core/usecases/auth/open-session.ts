import type { RequestOrigin } from "../../domain/audit";
import { mfaPolicyOf, mfaRequiredFor } from "../../domain/mfa";
import type { User } from "../../domain/user";
import type { NewRefreshToken, Repositories } from "../../ports/repositories";

export interface OpenSessionInput {
  user: User;
  sessionId: string;
  now: Date;
  expiresAt: Date;
  refreshToken: NewRefreshToken;
  /** The sign-in passed a second factor. */
  mfa: boolean;
}

/**
 * Records a signed-in session, its first refresh token, the login time and the audit event, in the
 * caller's transaction: what a password login and the second step of an MFA login both end with.
 * A session without a second factor whose tenant requires one for this user may only enrol one.
 */
export async function openSession(
  repos: Pick<Repositories, "tenants" | "sessions" | "refreshTokens" | "users" | "audit">,
  { user, sessionId, now, expiresAt, refreshToken, mfa }: OpenSessionInput,
  origin: RequestOrigin,
): Promise<{ mfaEnrollmentRequired: boolean }> {
  const tenant = await repos.tenants.findById(user.tenantId);
  const mfaEnrollmentRequired = !mfa && mfaRequiredFor(mfaPolicyOf(tenant?.settings ?? {}), user.role);
  await repos.sessions.create({
    id: sessionId,
    tenantId: user.tenantId,
    userId: user.id,
    createdAt: now,
    expiresAt,
    ip: origin.ip,
    userAgent: origin.userAgent,
    mfa,
    mfaEnrollmentRequired,
  });
  await repos.refreshTokens.create(refreshToken);
  await repos.users.recordLogin(user.tenantId, user.id, now);
  await repos.audit.append(
    {
      tenantId: user.tenantId,
      actor: { type: "user", id: user.id, display: user.email },
      action: "auth.login.succeeded",
      resource: { type: "session", id: sessionId },
      outcome: "success",
      ...(mfa
        ? { metadata: { mfa: true } }
        : mfaEnrollmentRequired
          ? { metadata: { mfaEnrollmentRequired: true } }
          : {}),
    },
    origin,
  );
  return { mfaEnrollmentRequired };
}
