import { type Acting, actsOnSelf, successEvent } from "../../domain/acting";
import { platformScope, scopeOf } from "../../domain/data-scope";
import { ForbiddenError, NotFoundError } from "../../domain/errors";
import { type Page, type PageRequest, toPage } from "../../domain/pagination";
import { assertPasswordPolicy } from "../../domain/password-policy";
import { assertAssignableRole, assertOutranks } from "../../domain/role-assignment";
import type { Role } from "../../domain/roles";
import { PLATFORM_TENANT_SLUG } from "../../domain/tenant";
import { DEFAULT_USER_ROLE, normalizeEmail, type User } from "../../domain/user";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { Mailer } from "../../ports/mailer";
import type { PasswordHasher } from "../../ports/password-hasher";
import type { UnitOfWork, UserFilter, UserPatch } from "../../ports/repositories";
import type { EmailVerification } from "../account/email-verification";
import { emails } from "../account/emails";
import type { AccountLinks } from "../account/links";
import { issueOneTimeToken } from "../account/one-time-tokens";
import type { Authorize } from "../auth/authorize";
import { requirePermission } from "../auth/require-permission";
import { publishRevocations } from "../auth/session-state";
import type { InvitationLimit } from "./invitation-limit";
import type { UserCache } from "./user-cache";
import { requireUserPermission } from "./user-scope";

export interface ManageUsersDeps {
  /**
   * Reads and writes in the tenant acted on. Permission checks run between transactions, never in
   * one: they read through the cache and may need a connection of their own.
   */
  uow: UnitOfWork;
  authorize: Authorize;
  hasher: PasswordHasher;
  mailer: Mailer;
  verification: Pick<EmailVerification, "send">;
  cache: Cache;
  clock: Clock;
  ids: IdGenerator;
  links: Pick<AccountLinks, "acceptInvitation">;
  invitationTtlSeconds: number;
  /** Every new user is mailed: bounds how many a caller, and a tenant, may create. */
  invitationLimit: InvitationLimit;
  sessionCacheTtlSeconds: number;
  userCache: Pick<UserCache, "publish">;
}

export interface NewUserInput {
  email: string;
  /** DEFAULT_USER_ROLE when absent. */
  role?: Role;
  password?: string;
  firstName?: string | null;
  lastName?: string | null;
}

const notFound = () => new NotFoundError("USER_NOT_FOUND", "No such user.");

/**
 * Users of a tenant, without escalation: every rule is checked here against stored roles, so the
 * CLI gets the same. Permissions follow the user-scope rule (user-scope.ts).
 */
export function makeManageUsers(deps: ManageUsersDeps) {
  const { uow, authorize, hasher, clock, ids } = deps;

  async function existing(acting: Acting, id: string): Promise<User> {
    const user = await uow.transaction(scopeOf(acting), (repos) =>
      repos.users.findById(acting.tenant.id, id),
    );
    if (!user) throw notFound();
    return user;
  }

  return {
    async list(
      acting: Acting,
      { filter, page }: { filter: UserFilter; page: PageRequest },
    ): Promise<Page<User>> {
      await requireUserPermission(authorize, acting, "users:read");
      const emailPrefix = filter.emailPrefix ? normalizeEmail(filter.emailPrefix) : undefined;
      const found = await uow.transaction(scopeOf(acting), (repos) =>
        repos.users.list(acting.tenant.id, { ...filter, emailPrefix }, page),
      );
      return toPage(found, page.limit);
    },

    async get(acting: Acting, id: string): Promise<User> {
      if (!actsOnSelf(acting, id)) await requireUserPermission(authorize, acting, "users:read");
      return existing(acting, id);
    },

    /** A user of the tenant by email address, for operators who know people by address. */
    async getByEmail(acting: Acting, email: string): Promise<User> {
      await requireUserPermission(authorize, acting, "users:read");
      const found = await uow.transaction(scopeOf(acting), (repos) =>
        repos.users.findCredentialsByEmail(acting.tenant.id, normalizeEmail(email)),
      );
      if (!found) throw notFound();
      return found.user;
    },

    /**
     * Creates a user with a role up to the actor's own. With a password (policy applied) a
     * verification link is mailed; without one, an invitation to choose it. Either way the mail
     * counts towards the invitation limits.
     */
    async create(acting: Acting, input: NewUserInput): Promise<User> {
      await requireUserPermission(authorize, acting, "users:create");
      const role = input.role ?? DEFAULT_USER_ROLE;
      assertAssignableRole(acting.principal.role, role, acting.tenant.slug);
      const email = normalizeEmail(input.email);
      if (input.password !== undefined) assertPasswordPolicy(input.password, email);
      await deps.invitationLimit(acting.principal, acting.tenant.id, acting.origin);
      const passwordHash = input.password === undefined ? null : await hasher.hash(input.password);

      const { user, invitation } = await uow.transaction(scopeOf(acting), async (repos) => {
        const user = await repos.users.create({
          id: ids.next(),
          tenantId: acting.tenant.id,
          email,
          passwordHash,
          role,
          firstName: input.firstName ?? null,
          lastName: input.lastName ?? null,
        });
        await repos.audit.append(
          successEvent(
            acting,
            "user.created",
            { type: "user", id: user.id },
            {
              email,
              role: user.role,
              invited: passwordHash === null,
            },
          ),
          acting.origin,
        );
        const invitation =
          passwordHash === null
            ? await issueOneTimeToken(repos, deps, {
                tenantId: user.tenantId,
                userId: user.id,
                purpose: "invitation",
                ttlSeconds: deps.invitationTtlSeconds,
              })
            : null;
        return { user, invitation };
      });
      if (invitation) {
        const days = Math.round(deps.invitationTtlSeconds / 86_400);
        await deps.mailer.send(
          emails.invitation(user.email, acting.tenant.name, deps.links.acceptInvitation(invitation), days),
        );
      } else {
        await deps.verification.send(user);
      }
      return user;
    },

    /**
     * Updates names (yours, or anyone's you outrank), and the role and active flag of users below
     * you, never your own. A role change or deactivation ends the user's sessions, so no token
     * keeps the old role or lets a deactivated user in.
     */
    async update(acting: Acting, { id, patch }: { id: string; patch: UserPatch }): Promise<User> {
      const self = actsOnSelf(acting, id);
      const target = await existing(acting, id);
      if (self) {
        if (patch.role !== undefined || patch.isActive !== undefined) {
          throw new ForbiddenError(
            "ROLE_ESCALATION",
            "Nobody changes their own role or deactivates themselves.",
          );
        }
        await requirePermission(authorize, acting, "profile:update");
      } else {
        await requireUserPermission(authorize, acting, "users:update");
        assertOutranks(acting.principal.role, target.role);
        if (patch.role !== undefined)
          assertAssignableRole(acting.principal.role, patch.role, acting.tenant.slug);
      }
      const changed = (Object.keys(patch) as (keyof UserPatch)[]).filter(
        (field) => patch[field] !== target[field],
      );
      if (changed.length === 0) return target;

      const { user, ended, endSessions } = await uow.transaction(scopeOf(acting), async (repos) => {
        // Checked again on the locked row: the target may have been promoted since the first read.
        const locked = await repos.users.findByIdLocked(acting.tenant.id, id);
        if (!locked) throw notFound();
        if (!self) assertOutranks(acting.principal.role, locked.role);
        const now = clock.now();
        const user = await repos.users.update(acting.tenant.id, id, patch, now);
        if (!user) throw notFound();
        const deactivated = changed.includes("isActive") && !user.isActive;
        const endSessions = changed.includes("role") || deactivated;
        // Links this user asked for on others' behalf (an email change) lapse with their authority.
        // Those in this tenant go here; a platform admin's in other tenants just below.
        if (endSessions) await repos.oneTimeTokens.discardRequestedBy(user.id);
        // And their own links die with their access: reactivating them must not revive an old link.
        if (deactivated) await repos.oneTimeTokens.discardAllFor(user.tenantId, user.id);
        const ended = endSessions
          ? await repos.sessions.revokeAllOfUser(
              { tenantId: user.tenantId, userId: user.id },
              changed.includes("role") ? "revoked_by_admin" : "user_inactive",
              now,
            )
          : [];
        await repos.audit.append(
          successEvent(
            acting,
            changed.includes("role") ? "user.role_changed" : "user.updated",
            { type: "user", id: user.id },
            {
              before: Object.fromEntries(changed.map((field) => [field, target[field]])),
              after: Object.fromEntries(changed.map((field) => [field, user[field]])),
              sessionsEnded: ended.length,
            },
          ),
          acting.origin,
        );
        return { user, ended, endSessions };
      });
      await publishRevocations(deps.cache, ended, deps.sessionCacheTtlSeconds);
      await deps.userCache.publish(user.tenantId, user.id);
      // A user of the platform tenant may have asked for links in other tenants (a platform admin
      // changing a member's email), which this tenant's scope does not see. They lapse in a second
      // transaction across tenants, named for it, once the change above has committed.
      if (endSessions && acting.tenant.slug === PLATFORM_TENANT_SLUG) {
        await uow.transaction(platformScope("tenant administration"), (repos) =>
          repos.oneTimeTokens.discardRequestedBy(user.id),
        );
      }
      return user;
    },

    /** Deletes a user below you (never yourself); their sessions end with them. */
    async delete(acting: Acting, id: string): Promise<void> {
      if (actsOnSelf(acting, id)) throw new ForbiddenError("SELF_DELETE", "You cannot delete yourself.");
      await requireUserPermission(authorize, acting, "users:delete");
      const target = await existing(acting, id);
      assertOutranks(acting.principal.role, target.role);
      const ended = await uow.transaction(scopeOf(acting), async (repos) => {
        const locked = await repos.users.findByIdLocked(target.tenantId, target.id);
        if (!locked) throw notFound();
        assertOutranks(acting.principal.role, locked.role);
        // The foreign key would delete them with the row; the rule is stated here, not left to the schema.
        await repos.oneTimeTokens.discardAllFor(target.tenantId, target.id);
        const sessions = await repos.sessions.revokeAllOfUser(
          { tenantId: target.tenantId, userId: target.id },
          "revoked_by_admin",
          clock.now(),
        );
        await repos.audit.append(
          successEvent(
            acting,
            "user.deleted",
            { type: "user", id: target.id },
            { email: target.email, role: target.role },
          ),
          acting.origin,
        );
        if (!(await repos.users.delete(target.tenantId, target.id))) throw notFound();
        return sessions;
      });
      await publishRevocations(deps.cache, ended, deps.sessionCacheTtlSeconds);
      await deps.userCache.publish(target.tenantId, target.id);
    },
  };
}

export type ManageUsers = ReturnType<typeof makeManageUsers>;
