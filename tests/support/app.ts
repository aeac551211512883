import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { tenants, users } from "../../src/adapters/db/schema";
import { repositories } from "../../src/adapters/db/unit-of-work";
import { openEphemeralStore } from "../../src/composition/ephemeral-store";
import { composeServer } from "../../src/composition/server";
import { loadConfig } from "../../src/config";
import type { Role } from "../../src/core/domain/roles";
import type { TenantStatus } from "../../src/core/domain/tenant";
import type { Clock } from "../../src/core/ports/clock";
import { makeInvitationLimit } from "../../src/core/usecases/users/invitation-limit";
import { type ManageUsersDeps, makeManageUsers } from "../../src/core/usecases/users/manage-users";
import { makeUserCache } from "../../src/core/usecases/users/user-cache";
import { recordingLogger } from "./logger";
import { recordingMailer } from "./mailer";
import { disposeAtExit, testDatabase, testKeyPrefix, testRedisUrl } from "./resources";
import { typedClient } from "./typed-client";

export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";
export const TEST_PASSWORD = "Correct-Horse-9";

export function testConfig(env: Record<string, string> = {}) {
  return loadConfig({
    NODE_ENV: "test",
    BCRYPT_COST: "4",
    JWT_SECRET: TEST_JWT_SECRET,
    MAIL_OUTBOX_PATH: join(tmpdir(), `saas-test-outbox-${process.pid}.jsonl`),
    // Tests sign in far more often than people: abuse limits apply only where a test sets them.
    RATE_LIMIT_IP_LIMIT: "1000000",
    RATE_LIMIT_ACCOUNT_LIMIT: "1000000",
    RATE_LIMIT_INVITATION_USER_LIMIT: "1000000",
    RATE_LIMIT_INVITATION_TENANT_LIMIT: "1000000",
    LOGIN_LOCKOUT_THRESHOLD: "1000",
    ...env,
  });
}

/** The app wired to the shared test database and cache, with a logger that records. */
export async function testApp(options: { env?: Record<string, string>; clock?: Clock } = {}) {
  const database = await testDatabase();
  const logger = recordingLogger();
  const mail = recordingMailer();
  const redisUrl = await testRedisUrl();
  const config = testConfig({
    ...(redisUrl ? { REDIS_URL: redisUrl, CACHE_KEY_PREFIX: testKeyPrefix() } : {}),
    ...options.env,
  });
  // A store of its own: rate-limit counters and lockouts of one test app never reach another's.
  const store = openEphemeralStore(config, logger);
  disposeAtExit(store.close);
  await store.ready(2_000);
  const cache = store.cache;
  const composition = composeServer(config, { database, store, logger, clock: options.clock, mailer: mail });
  const db = database.db;
  /** Repositories on the connecting user (no row-level security): fixtures, not the code under test. */
  const fixtures = repositories(db, composition.clock, composition.ids);

  let counter = 0;
  const unique = (prefix: string) =>
    `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  async function createTenant(fields: { slug?: string; status?: TenantStatus } = {}) {
    const tenant = await fixtures.tenants.create({
      id: composition.ids.next(),
      name: "Test tenant",
      slug: fields.slug ?? unique("t"),
      plan: "free",
    });
    if (fields.status && fields.status !== "active") {
      await db.update(tenants).set({ status: fields.status }).where(eq(tenants.id, tenant.id));
    }
    return { ...tenant, status: fields.status ?? tenant.status };
  }

  async function createUser(
    tenantId: string,
    fields: { email?: string; role?: Role; password?: string | null; isActive?: boolean } = {},
  ) {
    const password = fields.password === undefined ? TEST_PASSWORD : fields.password;
    const user = await fixtures.users.create({
      id: composition.ids.next(),
      tenantId,
      email: fields.email ?? `${unique("user")}@example.com`,
      passwordHash: password === null ? null : await composition.hasher.hash(password),
      role: fields.role ?? "member",
    });
    if (fields.isActive === false)
      await db.update(users).set({ isActive: false }).where(eq(users.id, user.id));
    return { ...user, password };
  }

  async function call(
    method: string,
    path: string,
    init: {
      body?: unknown;
      rawBody?: RequestInit["body"];
      token?: string;
      headers?: Record<string, string>;
      host?: string;
    } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers["content-type"] ??= "application/json";
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const response = await composition.app.handle(
      new Request(`http://${init.host ?? "localhost"}${path}`, {
        method,
        headers,
        body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
      }),
    );
    const text = await response.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, headers: response.headers, body };
  }

  /**
   * The typed client (Eden Treaty over app.handle), signed in with `token` when given. Raw input a
   * typed client cannot send (bad JSON, wrong content type, oversized bodies) goes through `call`.
   */
  function client(token?: string, headers: Record<string, string> = {}) {
    return typedClient(composition.app, token, headers);
  }

  /** The typed client's /api/v1. */
  function api(token?: string, headers: Record<string, string> = {}) {
    return client(token, headers).api.v1;
  }

  async function login(tenantSlug: string, email: string, password: string = TEST_PASSWORD) {
    const res = await call("POST", "/api/v1/auth/login", { body: { email, password, tenant: tenantSlug } });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { accessToken: string; refreshToken: string; expiresIn: number };
  }

  /** The users use case wired like the app's, with some of its dependencies replaced. */
  function manageUsersWith(overrides: Partial<ManageUsersDeps>) {
    return makeManageUsers({
      uow: composition.uow,
      authorize: composition.useCases.authorize,
      hasher: composition.hasher,
      mailer: composition.mailer,
      verification: composition.useCases.verification,
      cache,
      clock: composition.clock,
      ids: composition.ids,
      links: { acceptInvitation: (token) => token },
      invitationTtlSeconds: 3600,
      invitationLimit: makeInvitationLimit({
        rateLimiter: store.rateLimiter,
        recordTrip: composition.useCases.recordRateLimitTrip,
        ...config.abuse.invitation,
      }),
      sessionCacheTtlSeconds: 300,
      userCache: makeUserCache({ uow: composition.uow, cache, ttlSeconds: 300 }),
      ...overrides,
    });
  }

  /** A new tenant with a signed-in admin, member and guest. */
  async function team() {
    const tenant = await createTenant();
    const signedIn = async (role: Role) => {
      const user = await createUser(tenant.id, { role });
      return { ...user, ...(await login(tenant.slug, user.email)) };
    };
    return {
      tenant,
      admin: await signedIn("admin"),
      member: await signedIn("member"),
      guest: await signedIn("guest"),
    };
  }

  /** A super admin of the platform tenant, signed in. */
  async function platformAdmin() {
    const email = `${unique("root")}@example.com`;
    await composition.useCases.seedPlatform({ adminEmail: email, adminPassword: TEST_PASSWORD });
    const tokens = await login("platform", email);
    return { email, ...tokens };
  }

  return {
    ...composition,
    platformAdmin,
    team,
    manageUsersWith,
    config,
    database,
    db,
    cache,
    logger,
    mail,
    createTenant,
    createUser,
    call,
    client,
    api,
    login,
    unique,
  };
}

export type TestApp = Awaited<ReturnType<typeof testApp>>;
