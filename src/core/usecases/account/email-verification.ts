import type { TenantRef } from "../../domain/acting";
import { ownAccountEvent, type RequestOrigin } from "../../domain/audit";
import { secretScope, tenantScope } from "../../domain/data-scope";
import { hashSecretToken } from "../../domain/secret-token";
import { normalizeEmail, type User } from "../../domain/user";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { Mailer } from "../../ports/mailer";
import type { UnitOfWork } from "../../ports/repositories";
import type { UserCache } from "../users/user-cache";
import { emails } from "./emails";
import type { AccountLinks } from "./links";
import { issueOneTimeToken, redeemOneTimeToken } from "./one-time-tokens";

export interface EmailVerificationDeps {
  uow: UnitOfWork;
  mailer: Mailer;
  clock: Clock;
  ids: IdGenerator;
  links: AccountLinks;
  ttlSeconds: number;
  userCache: Pick<UserCache, "publish">;
}

export function makeEmailVerification(deps: EmailVerificationDeps) {
  const { uow, mailer, clock } = deps;

  async function send(user: Pick<User, "id" | "tenantId" | "email">) {
    // The user's own tenant: whoever asks (an admin creating them, or a resend) has resolved it.
    const token = await uow.transaction(tenantScope(user.tenantId), (repos) =>
      issueOneTimeToken(repos, deps, {
        tenantId: user.tenantId,
        userId: user.id,
        purpose: "email_verification",
        ttlSeconds: deps.ttlSeconds,
      }),
    );
    await mailer.send(
      emails.verifyEmail(user.email, deps.links.verifyEmail(token), Math.round(deps.ttlSeconds / 3600)),
    );
  }

  return {
    /** Sends a verification link to the user (on creation, or when asked again). */
    send,

    /**
     * Sends a new link when the address belongs to an active, unverified user of the tenant; does
     * nothing otherwise. The caller answers the same either way, so nothing about the address leaks.
     */
    async resend(tenant: TenantRef, email: string): Promise<void> {
      // No one is signed in: the tenant is the one the request named (its slug), resolved before.
      const credentials = await uow.transaction(tenantScope(tenant.id), (repos) =>
        repos.users.findCredentialsByEmail(tenant.id, normalizeEmail(email)),
      );
      const user = credentials?.user;
      if (!user?.isActive || user.emailVerifiedAt) return;
      await send(user);
    },

    /** Uses a verification token; the address is then verified. */
    async verify(token: string, origin: RequestOrigin): Promise<{ email: string }> {
      // Only the link is known: the database finds its tenant from the hash redeemOneTimeToken looks up.
      const scope = secretScope("one_time_token", hashSecretToken(token));
      const user = await uow.transaction(scope, async (repos) => {
        const now = clock.now();
        const { user } = await redeemOneTimeToken(repos, token, "email_verification", now);
        if (!user.emailVerifiedAt) {
          await repos.users.markEmailVerified(user.tenantId, user.id, now);
          await repos.audit.append(ownAccountEvent(user, "user.email_verified"), origin);
        }
        return user;
      });
      await deps.userCache.publish(user.tenantId, user.id);
      return { email: user.email };
    },
  };
}

export type EmailVerification = ReturnType<typeof makeEmailVerification>;
