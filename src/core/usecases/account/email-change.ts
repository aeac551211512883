import { type Acting, actsOnSelf, successEvent } from "../../domain/acting";
import { ownAccountEvent, type RequestOrigin } from "../../domain/audit";
import { scopeOf, secretScope } from "../../domain/data-scope";
import { ConflictError, ValidationError } from "../../domain/errors";
import { hashSecretToken } from "../../domain/secret-token";
import { normalizeEmail } from "../../domain/user";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { Mailer } from "../../ports/mailer";
import type { UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { assertCurrentPassword, type CurrentPasswordDeps } from "../users/current-password";
import { targetUser } from "../users/target-user";
import type { UserCache } from "../users/user-cache";
import { emails } from "./emails";
import { type AccountLinks, invalidTokenMessage } from "./links";
import { issueOneTimeToken, redeemOneTimeToken } from "./one-time-tokens";

export interface EmailChangeInput {
  userId: string;
  newEmail: string;
  currentPassword?: string;
}

export interface EmailChangeDeps extends CurrentPasswordDeps {
  authorize: Authorize;
  uow: UnitOfWork;
  mailer: Mailer;
  clock: Clock;
  ids: IdGenerator;
  links: AccountLinks;
  ttlSeconds: number;
  userCache: Pick<UserCache, "publish">;
}

/** An address changes only once its new owner confirms it; the old address is told afterwards. */
export function makeEmailChange(deps: EmailChangeDeps) {
  const { uow, mailer, clock } = deps;

  return {
    /** Yours needs your current password: a stolen session alone must not move the account. */
    async request(acting: Acting, input: EmailChangeInput) {
      const { tenant, principal } = acting;
      const email = normalizeEmail(input.newEmail);
      const user = await targetUser(uow, deps.authorize, acting, input.userId, "users:update");
      const self = actsOnSelf(acting, user.id);
      if (self) {
        // Only your own change asks for the stored password; nobody else's needs it read.
        const passwordHash = await uow.transaction(
          scopeOf(acting),
          async (repos) =>
            (await repos.users.findCredentialsByEmail(tenant.id, user.email))?.passwordHash ?? null,
        );
        await assertCurrentPassword(deps, user, passwordHash, input.currentPassword, "email_change");
      }
      const token = await uow.transaction(scopeOf(acting), async (repos) => {
        if (user.email === email) {
          throw new ValidationError("EMAIL_UNCHANGED", "That is already the user's address.", [
            { field: "newEmail", message: "Same as the current address." },
          ]);
        }
        if (await repos.users.findCredentialsByEmail(tenant.id, email)) {
          throw new ConflictError("EMAIL_TAKEN", "A user with this email already exists in the tenant.");
        }
        const raw = await issueOneTimeToken(repos, deps, {
          tenantId: tenant.id,
          userId: user.id,
          purpose: "email_change",
          ttlSeconds: deps.ttlSeconds,
          newEmail: email,
          // Voided if the requester is demoted or deactivated before the link is used.
          requestedBy: self ? null : principal.userId,
        });
        await repos.audit.append(
          successEvent(
            acting,
            "user.email_change.requested",
            { type: "user", id: user.id },
            { newEmail: email },
          ),
          acting.origin,
        );
        return raw;
      });
      await mailer.send(
        emails.confirmEmailChange(
          email,
          deps.links.confirmEmailChange(token),
          Math.round(deps.ttlSeconds / 60),
        ),
      );
    },

    async confirm(token: string, origin: RequestOrigin): Promise<{ email: string }> {
      // Only the link is known: the database finds its tenant from the hash redeemOneTimeToken looks up.
      const scope = secretScope("one_time_token", hashSecretToken(token));
      const changed = await uow.transaction(scope, async (repos) => {
        const now = clock.now();
        const { used, user } = await redeemOneTimeToken(repos, token, "email_change", now);
        if (!used.newEmail) throw new ValidationError("INVALID_TOKEN", invalidTokenMessage);
        await repos.users.changeEmail(user.tenantId, user.id, used.newEmail, now);
        // Links mailed to the old address, or for another new one, must not outlive the change.
        await repos.oneTimeTokens.discardAllFor(user.tenantId, user.id);
        await repos.audit.append(
          ownAccountEvent({ ...user, email: used.newEmail }, "user.email_changed", {
            before: user.email,
            after: used.newEmail,
          }),
          origin,
        );
        return { oldEmail: user.email, email: used.newEmail, user };
      });
      await deps.userCache.publish(changed.user.tenantId, changed.user.id);
      await mailer.send(emails.emailChanged(changed.oldEmail, changed.email));
      return { email: changed.email };
    },
  };
}

export type EmailChange = ReturnType<typeof makeEmailChange>;
