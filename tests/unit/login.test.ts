import { describe, expect, test } from "bun:test";
import { memoryLoginLockout } from "../../src/adapters/rate-limit/memory-login-lockout";
import { hs256Signer } from "../../src/adapters/security/hs256-signer";
import type { AuditEventInput } from "../../src/core/domain/audit";
import type { UserCredentials } from "../../src/core/domain/user";
import type { PasswordHasher } from "../../src/core/ports/password-hasher";
import type { Repositories, UnitOfWork } from "../../src/core/ports/repositories";
import { makeLogin } from "../../src/core/usecases/auth/login";
import { makeTokenIssuer } from "../../src/core/usecases/auth/token-issuer";

const tenant = { id: "t1", slug: "acme", name: "Acme", plan: "free", status: "active" as const };
const origin = { ip: "127.0.0.1", userAgent: "test", requestId: "r1" };

/** A hasher whose "hash" is the password reversed, counting verifications. */
function countingHasher(): PasswordHasher & { verifications: number } {
  return {
    verifications: 0,
    needsRehash: () => false,
    async hash(password) {
      return [...password].reverse().join("");
    },
    async verify(password, hash) {
      this.verifications++;
      return [...password].reverse().join("") === hash;
    },
  };
}

function setup(credentials: UserCredentials | null, lockedRead?: UserCredentials["user"] | null) {
  const audit: AuditEventInput[] = [];
  const writes: string[] = [];
  const repos = {
    users: {
      findCredentialsByEmail: async () => credentials,
      findByIdLocked: async () => (lockedRead === undefined ? (credentials?.user ?? null) : lockedRead),
      recordLogin: async () => void writes.push("recordLogin"),
    },
    sessions: { create: async () => void writes.push("session") },
    refreshTokens: { create: async () => void writes.push("refreshToken") },
    audit: { append: async (event: AuditEventInput) => void audit.push(event) },
  } as unknown as Repositories;
  const uow: UnitOfWork = { transaction: (work) => work(repos) };
  const hasher = countingHasher();
  let id = 0;
  const login = makeLogin({
    uow,
    users: repos.users,
    hasher,
    issuer: makeTokenIssuer({
      signer: hs256Signer({ secret: "k".repeat(40), issuer: "i", audience: "a", ttlSeconds: 900 }),
      ids: { next: () => `id-${++id}` },
      deriver: { derive: (secret) => `next-${secret}` },
    }),
    clock: { now: () => new Date("2026-01-01T00:00:00Z") },
    ids: { next: () => `id-${++id}` },
    lockout: memoryLoginLockout({ threshold: 100, baseSeconds: 1, maxSeconds: 60, windowSeconds: 60 }),
    refreshTokenTtlSeconds: 3600,
    userCache: { publish: async () => void writes.push("publishUser") },
  });
  return { login, hasher, audit, writes };
}

const user = (isActive = true) => ({
  user: {
    id: "u1",
    tenantId: "t1",
    email: "ann@example.com",
    firstName: null,
    lastName: null,
    role: "member" as const,
    isActive,
    emailVerifiedAt: null,
    lastLoginAt: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  },
  passwordHash: "terces",
});

describe("login", () => {
  test("an unknown email costs a password verification like a known one", async () => {
    const { login, hasher } = setup(null);
    await expect(
      login({ tenant, email: "who@example.com", password: "secret" }, origin),
    ).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
    });
    expect(hasher.verifications).toBe(1);
  });

  test("a deactivated user is refused only after the password check, with the same error", async () => {
    const { login, hasher, audit, writes } = setup(user(false));
    await expect(
      login({ tenant, email: "ann@example.com", password: "secret" }, origin),
    ).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
    });
    expect(hasher.verifications).toBe(1);
    expect(audit).toEqual([
      expect.objectContaining({ action: "auth.login.failed", metadata: { reason: "user_inactive" } }),
    ]);
    expect(writes).toEqual([]);
  });

  test("success writes the session, the refresh token, the login time and its audit event", async () => {
    const { login, audit, writes } = setup(user());
    const pair = await login({ tenant, email: " Ann@Example.com ", password: "secret" }, origin);
    expect(pair.tokenType).toBe("Bearer");
    expect(writes).toEqual(["session", "refreshToken", "recordLogin", "publishUser"]);
    expect(audit).toEqual([
      expect.objectContaining({
        action: "auth.login.succeeded",
        outcome: "success",
        actor: { type: "user", id: "u1", display: "ann@example.com" },
      }),
    ]);
  });

  test("a deactivation committed during the password check is seen: no session, no token", async () => {
    const { login, writes } = setup(user(), { ...user().user, isActive: false });
    await expect(
      login({ tenant, email: "ann@example.com", password: "secret" }, origin),
    ).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
    });
    expect(writes).toEqual([]);
  });

  test("a demotion committed during the password check is seen: the token carries the new role", async () => {
    const { login } = setup(
      { ...user(), user: { ...user().user, role: "admin" } },
      { ...user().user, role: "guest" },
    );
    const pair = await login({ tenant, email: "ann@example.com", password: "secret" }, origin);
    const claims = JSON.parse(Buffer.from(pair.accessToken.split(".")[1]!, "base64url").toString());
    expect(claims.role).toBe("guest");
  });
});
