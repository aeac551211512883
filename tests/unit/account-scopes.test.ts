import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import { memoryLoginLockout } from "../../src/adapters/rate-limit/memory-login-lockout";
import type { Acting, TenantRef } from "../../src/core/domain/acting";
import { platformScope, scopeOf, secretScope, tenantScope } from "../../src/core/domain/data-scope";
import { hashSecretToken } from "../../src/core/domain/secret-token";
import type { User } from "../../src/core/domain/user";
import type { OneTimeToken, Repositories, UnitOfWork } from "../../src/core/ports/repositories";
import { makeEmailChange } from "../../src/core/usecases/account/email-change";
import { makeEmailVerification } from "../../src/core/usecases/account/email-verification";
import { makeAcceptInvitation } from "../../src/core/usecases/account/invitation";
import { makePasswordReset } from "../../src/core/usecases/account/password-reset";
import { makeGetRole } from "../../src/core/usecases/roles/get-role";
import { makeChangePassword } from "../../src/core/usecases/users/change-password";
import { makeManageUsers } from "../../src/core/usecases/users/manage-users";
import { makeUserCache } from "../../src/core/usecases/users/user-cache";
import { scopeRecordingUow } from "../support/scope-recording";

// Which rows each transaction may see is the use case's choice; these tests pin the choice. A use
// case that only holds a link must ask for the tenant that owns the link's hash, never for a tenant
// it was told; one with an actor must ask for the tenant acted on.

const acme: TenantRef = { id: "t-acme", slug: "acme", name: "Acme", plan: "free", status: "active" };
const platform: TenantRef = { id: "t-platform", slug: "platform", name: "P", plan: "free", status: "active" };
const origin = { ip: null, userAgent: null, requestId: null };
const now = new Date("2026-01-01T00:00:00Z");
const clock = { now: () => now };
let seq = 0;
const ids = { next: () => `id-${++seq}` };

function userOf(tenant: TenantRef, id: string, role: User["role"] = "member"): User {
  return {
    id,
    tenantId: tenant.id,
    email: `${id}@example.com`,
    firstName: null,
    lastName: null,
    role,
    isActive: true,
    emailVerifiedAt: null,
    lastLoginAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** A unit of work over fake repositories that records the scope of every transaction. */
function recording(users: User[], token?: OneTimeToken) {
  const find = (tenantId: string, id: string) =>
    users.find((u) => u.tenantId === tenantId && u.id === id) ?? null;
  const repos = {
    users: {
      findById: async (tenantId: string, id: string) => find(tenantId, id),
      findByIdLocked: async (tenantId: string, id: string) => find(tenantId, id),
      findCredentialsByEmail: async (tenantId: string, email: string) => {
        const user = users.find((u) => u.tenantId === tenantId && u.email === email);
        return user ? { user, passwordHash: "hash:secret" } : null;
      },
      update: async (tenantId: string, id: string, patch: Partial<User>) => {
        const user = find(tenantId, id);
        return user && { ...user, ...patch };
      },
      setPasswordHash: async () => {},
      markEmailVerified: async () => {},
      changeEmail: async () => {},
    },
    oneTimeTokens: {
      issue: async () => {},
      peek: async () => token ?? null,
      consume: async () => token ?? null,
      discardAllFor: async () => {},
      discardRequestedBy: async () => {},
    },
    sessions: { revokeAllOfUser: async () => [] },
    rolePermissions: { grantsOf: async () => ({}) },
    audit: { append: async () => {} },
  } as unknown as Repositories;
  return scopeRecordingUow(repos);
}

const hasher = {
  hash: async (password: string) => `hash:${password}`,
  verify: async (password: string, hash: string) => hash === `hash:${password}`,
  needsRehash: () => false,
};
const lockout = memoryLoginLockout({ threshold: 5, baseSeconds: 60, maxSeconds: 60, windowSeconds: 60 });
const mailer = { send: async () => {} };
const links = {
  verifyEmail: (t: string) => t,
  resetPassword: (t: string) => t,
  confirmEmailChange: (t: string) => t,
  acceptInvitation: (t: string) => t,
};
const userCache = { publish: async () => {} };
const allow = async () => true;

function acting(principal: User, home: TenantRef, tenant: TenantRef = home): Acting {
  return {
    principal: { userId: principal.id, tenantId: home.id, sessionId: "s1", role: principal.role },
    home,
    tenant,
    origin,
  };
}

const RAW = "raw-link-token";
const link = (
  user: User,
  purpose: OneTimeToken["purpose"],
  newEmail: string | null = null,
): OneTimeToken => ({
  id: "ott-1",
  tenantId: user.tenantId,
  userId: user.id,
  purpose,
  newEmail,
  expiresAt: now,
});

describe("a link alone: the tenant owning its hash", () => {
  const linkScope = secretScope("one_time_token", hashSecretToken(RAW));

  test("a password reset reads and writes in the scope of the link's hash", async () => {
    const member = userOf(acme, "u1");
    const { uow, scopes } = recording([member], link(member, "password_reset"));
    const reset = makePasswordReset({
      uow,
      mailer,
      hasher,
      cache: memoryCache(),
      clock,
      ids,
      links,
      ttlSeconds: 600,
      sessionCacheTtlSeconds: 60,
      lockout,
      rateLimiter: { reset: async () => {} } as never,
      userCache,
    });
    await reset.reset(RAW, "a-new-long-passphrase-42", origin);
    expect(scopes).toEqual([linkScope, linkScope]);
  });

  test("a password reset request names its tenant, as resolved from the request", async () => {
    const member = userOf(acme, "u1");
    const { uow, scopes } = recording([member]);
    const reset = makePasswordReset({
      uow,
      mailer,
      hasher,
      cache: memoryCache(),
      clock,
      ids,
      links,
      ttlSeconds: 600,
      sessionCacheTtlSeconds: 60,
      lockout,
      rateLimiter: { reset: async () => {} } as never,
      userCache,
    });
    await reset.request(acme, member.email, origin);
    expect(scopes).toEqual([tenantScope(acme.id)]);
  });

  test("accepting an invitation reads and writes in the scope of the link's hash", async () => {
    const member = userOf(acme, "u1");
    const { uow, scopes } = recording([member], link(member, "invitation"));
    const accept = makeAcceptInvitation({
      uow,
      hasher,
      clock,
      cache: memoryCache(),
      sessionCacheTtlSeconds: 60,
      userCache,
    });
    await accept(RAW, "a-new-long-passphrase-42", origin);
    expect(scopes).toEqual([linkScope, linkScope]);
  });

  test("verifying an address uses the link's scope; a resend, the tenant named", async () => {
    const member = userOf(acme, "u1");
    const { uow, scopes } = recording([member], link(member, "email_verification"));
    const verification = makeEmailVerification({
      uow,
      mailer,
      clock,
      ids,
      links,
      ttlSeconds: 3600,
      userCache,
    });
    await verification.verify(RAW, origin);
    expect(scopes).toEqual([linkScope]);
    scopes.length = 0;
    await verification.resend(acme, member.email);
    expect(scopes).toEqual([tenantScope(acme.id), tenantScope(acme.id)]);
  });

  test("confirming an email change uses the link's scope", async () => {
    const member = userOf(acme, "u1");
    const { uow, scopes } = recording([member], link(member, "email_change", "new@example.com"));
    const change = makeEmailChange({
      uow,
      authorize: allow,
      mailer,
      clock,
      ids,
      links,
      ttlSeconds: 600,
      userCache,
      hasher,
      lockout,
    });
    await change.confirm(RAW, origin);
    expect(scopes).toEqual([linkScope]);
  });
});

describe("an actor: the tenant acted on", () => {
  test("a platform admin's email change request for a member reads and writes in the member's tenant", async () => {
    const root = userOf(platform, "root", "super_admin");
    const member = userOf(acme, "u1");
    const { uow, scopes } = recording([root, member]);
    const change = makeEmailChange({
      uow,
      authorize: allow,
      mailer,
      clock,
      ids,
      links,
      ttlSeconds: 600,
      userCache,
      hasher,
      lockout,
    });
    const asRoot = acting(root, platform, acme);
    await change.request(asRoot, { userId: member.id, newEmail: "new@example.com" });
    expect(scopes).toEqual([scopeOf(asRoot), scopeOf(asRoot)]);
    expect(scopeOf(asRoot)).toEqual(tenantScope(acme.id));
  });

  test("changing your own password reads your credentials and writes in your tenant", async () => {
    const member = userOf(acme, "u1");
    const { uow, scopes } = recording([member]);
    const changePassword = makeChangePassword({
      uow,
      authorize: allow,
      hasher,
      clock,
      cache: memoryCache(),
      sessionCacheTtlSeconds: 60,
      lockout,
      userCache,
    });
    const self = acting(member, acme);
    await changePassword(self, {
      userId: member.id,
      currentPassword: "secret",
      newPassword: "a-new-long-passphrase-42",
    });
    expect(scopes).toEqual([scopeOf(self), scopeOf(self), scopeOf(self)]);
  });

  test("a role is read in the tenant acted on", async () => {
    const admin = userOf(acme, "u1", "admin");
    const { uow, scopes } = recording([admin]);
    const asAdmin = acting(admin, acme);
    await makeGetRole({ uow })(asAdmin, "member");
    expect(scopes).toEqual([tenantScope(acme.id)]);
  });

  function manageUsers(uow: UnitOfWork) {
    return makeManageUsers({
      uow,
      authorize: allow,
      hasher,
      mailer,
      verification: { send: async () => {} },
      cache: memoryCache(),
      clock,
      ids,
      links,
      invitationTtlSeconds: 3600,
      invitationLimit: async () => {},
      sessionCacheTtlSeconds: 60,
      userCache,
    });
  }

  test("demoting a tenant's admin stays in that tenant", async () => {
    const owner = userOf(acme, "owner", "super_admin");
    const admin = userOf(acme, "u1", "admin");
    const { uow, scopes } = recording([owner, admin]);
    const asOwner = acting(owner, acme);
    await manageUsers(uow).update(asOwner, { id: admin.id, patch: { role: "member" } });
    expect(scopes).toEqual([tenantScope(acme.id), tenantScope(acme.id)]);
  });

  test("demoting a platform admin also ends the links they requested in other tenants, by a named platform path", async () => {
    const root = userOf(platform, "root", "super_admin");
    const admin = userOf(platform, "u1", "admin");
    const { uow, scopes } = recording([root, admin]);
    const asRoot = acting(root, platform);
    await manageUsers(uow).update(asRoot, { id: admin.id, patch: { role: "member" } });
    expect(scopes).toEqual([
      tenantScope(platform.id),
      tenantScope(platform.id),
      platformScope("tenant administration"),
    ]);
  });

  test("a name change of a platform user needs no cross-tenant transaction", async () => {
    const root = userOf(platform, "root", "super_admin");
    const admin = userOf(platform, "u1", "admin");
    const { uow, scopes } = recording([root, admin]);
    const asRoot = acting(root, platform);
    await manageUsers(uow).update(asRoot, { id: admin.id, patch: { firstName: "Ada" } });
    expect(scopes).toEqual([tenantScope(platform.id), tenantScope(platform.id)]);
  });
});

describe("the user cache", () => {
  test("a miss reads in the tenant asked for; a hit opens no transaction", async () => {
    const member = userOf(acme, "u1");
    const { uow, scopes } = recording([member]);
    const cache = makeUserCache({ uow, cache: memoryCache(), ttlSeconds: 60 });
    expect(await cache.find(acme.id, member.id)).toMatchObject({ id: member.id });
    expect(await cache.find(acme.id, member.id)).toMatchObject({ id: member.id });
    expect(scopes).toEqual([tenantScope(acme.id)]);
  });

  test("a user cached for one tenant is nobody in another", async () => {
    const member = userOf(acme, "u1");
    const { uow } = recording([member]);
    const cache = makeUserCache({ uow, cache: memoryCache(), ttlSeconds: 60 });
    await cache.find(acme.id, member.id);
    expect(await cache.find(platform.id, member.id)).toBeNull();
  });
});
