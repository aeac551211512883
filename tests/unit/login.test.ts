import { describe, expect, test } from "bun:test";
import { memoryLoginLockout } from "../../src/adapters/rate-limit/memory-login-lockout";
import { hs256Signer } from "../../src/adapters/security/hs256-signer";
import type { AuditEventInput } from "../../src/core/domain/audit";
import { type DataScope, tenantScope } from "../../src/core/domain/data-scope";
import type { UserCredentials } from "../../src/core/domain/user";
import type { PasswordHasher } from "../../src/core/ports/password-hasher";
import type { Repositories, UnitOfWork } from "../../src/core/ports/repositories";
import type { SignInOutcome } from "../../src/core/ports/telemetry";
import type { LockoutRefusal } from "../../src/core/usecases/audit/record-lockout";
import { makeLogin } from "../../src/core/usecases/auth/login";
import { makeTokenIssuer, type TokenPair } from "../../src/core/usecases/auth/token-issuer";
import type { MfaSignIn } from "../../src/core/usecases/mfa/mfa-sign-in";

const tenant = { id: "t1", slug: "acme", name: "Acme", plan: "free", status: "active" as const };
const origin = { ip: "127.0.0.1", userAgent: "test", requestId: "r1" };

const CONFIGURED_COST = 12;

/** A hasher whose "hash" reads `<cost>:<password reversed>`, recording the cost of every verification. */
function recordingHasher(): PasswordHasher & { verifiedCosts: number[] } {
  const costOf = (hash: string) => Number(hash.split(":")[0]);
  return {
    verifiedCosts: [],
    needsRehash: (hash) => costOf(hash) !== CONFIGURED_COST,
    async hash(password) {
      return `${CONFIGURED_COST}:${[...password].reverse().join("")}`;
    },
    async verify(password, hash) {
      this.verifiedCosts.push(costOf(hash));
      return hash.slice(hash.indexOf(":") + 1) === [...password].reverse().join("");
    },
  };
}

function setup(
  credentials: UserCredentials | null,
  lockedRead?: UserCredentials["user"] | null,
  lockoutThreshold = 100,
  mfa: Pick<MfaSignIn, "challengeIfEnrolled"> = { challengeIfEnrolled: async () => null },
) {
  const audit: AuditEventInput[] = [];
  const lockouts: LockoutRefusal[] = [];
  const writes: string[] = [];
  const signIns: SignInOutcome[] = [];
  const scopes: DataScope[] = [];
  const repos = {
    users: {
      findCredentialsByEmail: async () => credentials,
      findByIdLocked: async () => (lockedRead === undefined ? (credentials?.user ?? null) : lockedRead),
      recordLogin: async () => void writes.push("recordLogin"),
      setPasswordHash: async (_t: string, _u: string, hash: string) =>
        void writes.push(`setPasswordHash ${hash}`),
    },
    tenants: { findById: async () => ({ settings: {} }) },
    sessions: { create: async () => void writes.push("session") },
    refreshTokens: { create: async () => void writes.push("refreshToken") },
    audit: { append: async (event: AuditEventInput) => void audit.push(event) },
  } as unknown as Repositories;
  const uow: UnitOfWork = {
    transaction: (scope, work) => {
      scopes.push(scope);
      return work(repos);
    },
  };
  const hasher = recordingHasher();
  let id = 0;
  const login = makeLogin({
    uow,
    hasher,
    issuer: makeTokenIssuer({
      signer: hs256Signer({ secret: "k".repeat(40), issuer: "i", audience: "a", ttlSeconds: 900 }),
      ids: { next: () => `id-${++id}` },
      deriver: { derive: (secret) => `next-${secret}` },
    }),
    clock: { now: () => new Date("2026-01-01T00:00:00Z") },
    ids: { next: () => `id-${++id}` },
    lockout: memoryLoginLockout({
      threshold: lockoutThreshold,
      baseSeconds: 60,
      maxSeconds: 60,
      windowSeconds: 60,
    }),
    recordLockout: async (refusal) => void lockouts.push(refusal),
    refreshTokenTtlSeconds: 3600,
    userCache: { publish: async () => void writes.push("publishUser") },
    telemetry: { signIn: (outcome) => void signIns.push(outcome) },
    mfa,
  });
  return { login, hasher, audit, writes, lockouts, signIns, scopes };
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
  passwordHash: `${CONFIGURED_COST}:terces`,
});

describe("login", () => {
  test("an unknown email costs a password verification like a known one", async () => {
    const { login, hasher } = setup(null);
    await expect(
      login({ tenant, email: "who@example.com", password: "secret" }, origin),
    ).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
    });
    expect(hasher.verifiedCosts).toEqual([CONFIGURED_COST]);
  });

  test("a deactivated user is refused only after the password check, with the same error", async () => {
    const { login, hasher, audit, writes } = setup(user(false));
    await expect(
      login({ tenant, email: "ann@example.com", password: "secret" }, origin),
    ).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
    });
    expect(hasher.verifiedCosts).toEqual([CONFIGURED_COST]);
    expect(audit).toEqual([
      expect.objectContaining({ action: "auth.login.failed", metadata: { reason: "user_inactive" } }),
    ]);
    expect(writes).toEqual([]);
  });

  test("success writes the session, the refresh token, the login time and its audit event", async () => {
    const { login, audit, writes } = setup(user());
    const pair = (await login(
      { tenant, email: " Ann@Example.com ", password: "secret" },
      origin,
    )) as TokenPair;
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

  test("the second factor is asked for in the transaction that opens the session, after the locked re-read", async () => {
    const asked: { transaction: number; writesBefore: string[] }[] = [];
    const context = setup(user(), undefined, 100, {
      challengeIfEnrolled: async () => {
        asked.push({ transaction: context.scopes.length, writesBefore: [...context.writes] });
        return null;
      },
    });
    await context.login({ tenant, email: "ann@example.com", password: "secret" }, origin);
    // Asked in the last transaction, the one that re-reads the user and then opens the session.
    expect(asked).toEqual([{ transaction: context.scopes.length, writesBefore: [] }]);
    expect(context.writes).toContain("session");
  });

  test("an enrolled user's password step opens no session, counts no success and keeps the lockout", async () => {
    const challenge = {
      mfaRequired: true as const,
      mfaToken: "mfa-token",
      methods: ["totp", "recovery_code"],
    };
    const context = setup(user(), undefined, 2, {
      challengeIfEnrolled: async () => challenge as never,
    });
    await expect(
      context.login({ tenant, email: "ann@example.com", password: "wrong" }, origin),
    ).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    expect(await context.login({ tenant, email: "ann@example.com", password: "secret" }, origin)).toEqual(
      challenge as never,
    );
    expect(context.writes).toEqual([]);
    expect(context.signIns).toEqual(["failure"]);
    // The earlier failure still counts: one more locks the account.
    await expect(
      context.login({ tenant, email: "ann@example.com", password: "wrong" }, origin),
    ).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(
      context.login({ tenant, email: "ann@example.com", password: "secret" }, origin),
    ).rejects.toMatchObject({ code: "LOGIN_LOCKED" });
  });

  test("every read and write runs in the tenant signed in to, success or failure", async () => {
    const fine = setup(user());
    await fine.login({ tenant, email: "ann@example.com", password: "secret" }, origin);
    const failing = setup(user());
    await expect(
      failing.login({ tenant, email: "ann@example.com", password: "wrong" }, origin),
    ).rejects.toThrow();
    for (const { scopes } of [fine, failing]) {
      expect(scopes.length).toBeGreaterThan(0);
      expect(scopes).toEqual(scopes.map(() => tenantScope("t1")));
    }
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
    const pair = (await login({ tenant, email: "ann@example.com", password: "secret" }, origin)) as TokenPair;
    const claims = JSON.parse(Buffer.from(pair.accessToken.split(".")[1]!, "base64url").toString());
    expect(claims.role).toBe("guest");
  });

  test("a locked account is refused before any password work, and the refusal is recorded", async () => {
    const { login, hasher, audit, lockouts } = setup(user(), undefined, 1);
    await expect(login({ tenant, email: "ann@example.com", password: "wrong" }, origin)).rejects.toThrow();
    const checks = hasher.verifiedCosts.length;
    await expect(
      login({ tenant, email: " Ann@Example.com ", password: "secret" }, origin),
    ).rejects.toMatchObject({ code: "LOGIN_LOCKED", retryAfterSeconds: 60 });
    expect(hasher.verifiedCosts).toHaveLength(checks);
    expect(audit.map((event) => event.action)).toEqual(["auth.login.failed"]);
    expect(lockouts).toEqual([
      { tenantId: "t1", actor: { type: "user", id: null, display: "ann@example.com" }, endpoint: "login" },
    ]);
  });

  test("each attempt counts once, by outcome: a failure, a refusal while locked, a success", async () => {
    const locking = setup(user(), undefined, 1);
    await expect(
      locking.login({ tenant, email: "ann@example.com", password: "wrong" }, origin),
    ).rejects.toThrow();
    await expect(
      locking.login({ tenant, email: "ann@example.com", password: "secret" }, origin),
    ).rejects.toThrow();
    expect(locking.signIns).toEqual(["failure", "locked"]);

    const late = setup(user(), { ...user().user, isActive: false });
    await expect(
      late.login({ tenant, email: "ann@example.com", password: "secret" }, origin),
    ).rejects.toThrow();
    expect(late.signIns).toEqual(["failure"]);

    const fine = setup(user());
    await fine.login({ tenant, email: "ann@example.com", password: "secret" }, origin);
    expect(fine.signIns).toEqual(["success"]);
  });
});

describe("login timing does not depend on the stored hash's cost", () => {
  const withHash = (passwordHash: string | null, isActive = true) => ({
    user: { ...user(isActive).user },
    passwordHash,
  });
  const failures: [string, UserCredentials | null, string][] = [
    ["an unknown email", null, "secret"],
    ["an invited user without a password", withHash(null), "secret"],
    ["a wrong password, hash at the configured cost", withHash(`${CONFIGURED_COST}:terces`), "wrong"],
    ["a wrong password, hash at a lower cost", withHash("4:terces"), "wrong"],
    ["a wrong password, hash of another algorithm", withHash("argon2:terces"), "wrong"],
    ["the right password of a deactivated user, hash at a lower cost", withHash("4:terces", false), "secret"],
  ];

  test.each(failures)(
    "%s fails after exactly one check at the configured cost",
    async (_, credentials, password) => {
      const { login, hasher, audit } = setup(credentials);
      await expect(login({ tenant, email: "ann@example.com", password }, origin)).rejects.toMatchObject({
        code: "INVALID_CREDENTIALS",
      });
      expect(hasher.verifiedCosts.filter((cost) => cost === CONFIGURED_COST)).toHaveLength(1);
      expect(hasher.verifiedCosts.every((cost) => !(cost > CONFIGURED_COST))).toBe(true);
      expect(audit).toEqual([expect.objectContaining({ action: "auth.login.failed", outcome: "failure" })]);
    },
  );

  test("an unknown email and a wrong password on a low-cost hash do the same configured-cost work", async () => {
    const unknown = setup(null);
    const lowCost = setup(withHash("4:terces"));
    for (const { login } of [unknown, lowCost]) {
      await expect(login({ tenant, email: "ann@example.com", password: "wrong" }, origin)).rejects.toThrow();
    }
    expect(unknown.hasher.verifiedCosts).toEqual([CONFIGURED_COST]);
    expect(lowCost.hasher.verifiedCosts).toEqual([4, CONFIGURED_COST]);
  });

  test("a successful login pays no extra check and stores the password again at the configured cost", async () => {
    const { login, hasher, writes } = setup(withHash("4:terces"));
    await login({ tenant, email: "ann@example.com", password: "secret" }, origin);
    expect(hasher.verifiedCosts).toEqual([4]);
    expect(writes).toContain(`setPasswordHash ${CONFIGURED_COST}:terces`);
  });

  test("a hash at the configured cost is not stored again", async () => {
    const { login, writes } = setup(withHash(`${CONFIGURED_COST}:terces`));
    await login({ tenant, email: "ann@example.com", password: "secret" }, origin);
    expect(writes.filter((write) => write.startsWith("setPasswordHash"))).toEqual([]);
  });
});
