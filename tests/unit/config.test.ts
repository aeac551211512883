import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ConfigError, DEFAULT_ADMIN_PASSWORD, loadConfig, SETTING_NAMES } from "../../src/config";
import { passwordProblem } from "../../src/core/domain/password-policy";

const SECRET = "s".repeat(32);
/** What production needs besides a JWT_SECRET (tests/unit/production-config.test.ts). */
const DEPLOYED = {
  PUBLIC_URL: "https://api.example.com",
  APP_URL: "https://app.example.com",
  MAIL_DRIVER: "outbox",
};

describe("loadConfig", () => {
  test("with an empty environment it gives the documented defaults and the embedded services", () => {
    const config = loadConfig({});
    expect(config.env).toBe("development");
    expect(config.http).toMatchObject({
      port: 8080,
      host: "0.0.0.0",
      publicUrl: "http://localhost:8080",
      baseDomain: null,
    });
    expect(config.database).toEqual({ driver: "pglite", dataDir: "./data/pglite", appRole: "saas_app" });
    expect(config.cache).toMatchObject({ redisUrl: null, tenantTtlSeconds: 3600, sessionTtlSeconds: 300 });
    expect(config.auth).toMatchObject({
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 604_800,
      bcryptCost: 12,
    });
    expect(config.mail).toEqual({ driver: "outbox", outboxPath: "./data/outbox.jsonl" });
    expect(config.seed).toEqual({
      adminEmail: "admin@example.com",
      adminPassword: DEFAULT_ADMIN_PASSWORD,
      adminPasswordGenerated: false,
      documentedPasswordRefused: false,
    });
  });

  test("in development a missing JWT_SECRET is generated and flagged", () => {
    const config = loadConfig({});
    expect(config.auth.jwtSecretGenerated).toBe(true);
    expect(Buffer.byteLength(config.auth.jwtSecret)).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}).auth.jwtSecret).not.toBe(config.auth.jwtSecret);
  });

  test("DATABASE_URL selects PostgreSQL with a pool of DB_POOL_SIZE + DB_MAX_OVERFLOW and a statement timeout", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://db/app", DB_POOL_SIZE: "5", DB_MAX_OVERFLOW: "7" });
    expect(config.database).toEqual({
      driver: "postgres",
      url: "postgres://db/app",
      maxConnections: 12,
      statementTimeoutMs: 30_000,
      connectTimeoutSeconds: 10,
      idleTimeoutSeconds: 60,
      appRole: "saas_app",
    });
    expect(loadConfig({ DATABASE_URL: "postgres://db/app" }).database).toMatchObject({ maxConnections: 50 });
    expect(
      loadConfig({ DATABASE_URL: "postgres://db/app", DB_IDLE_TIMEOUT_SECONDS: "0" }).database,
    ).toMatchObject({ idleTimeoutSeconds: 0 });
  });

  test("REDIS_URL and SENDGRID_API_KEY switch to the real services", () => {
    const config = loadConfig({ REDIS_URL: "redis://cache:6379", SENDGRID_API_KEY: "SG.key" });
    expect(config.cache.redisUrl).toBe("redis://cache:6379");
    expect(config.mail).toEqual({
      driver: "sendgrid",
      sendgridApiKey: "SG.key",
      from: "no-reply@example.com",
    });
  });

  test.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ BCRYPT_COST: "2" }, "BCRYPT_COST"],
    [{ NODE_ENV: "prod" }, "NODE_ENV must be one of development, production, test"],
    [{ TRUSTED_PROXIES: "10.0.0.1, proxy.internal" }, "TRUSTED_PROXIES"],
    [{ TRUSTED_PROXIES: "10.0.0.0/33" }, "TRUSTED_PROXIES"],
    [{ ACCESS_TOKEN_TTL_SECONDS: "1.5" }, "ACCESS_TOKEN_TTL_SECONDS"],
    [{ BASE_DOMAIN: "https://saas.test" }, "BASE_DOMAIN must be a bare host name"],
    [{ BASE_DOMAIN: "saas.test:8080" }, "BASE_DOMAIN"],
    [{ METRICS_TOKEN: "short" }, "METRICS_TOKEN"],
  ])("a bad value stops start-up with one line naming the variable (%o)", (env, expected) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(expected);
      expect(message).not.toContain("\n");
    }
  });

  test("production refuses a missing or short JWT_SECRET", () => {
    expect(() => loadConfig({ NODE_ENV: "production", ...DEPLOYED })).toThrow("JWT_SECRET is required");
    expect(() => loadConfig({ NODE_ENV: "production", ...DEPLOYED, JWT_SECRET: "short" })).toThrow(
      "at least 32 bytes",
    );
    expect(
      loadConfig({ NODE_ENV: "production", ...DEPLOYED, JWT_SECRET: SECRET }).auth.jwtSecretGenerated,
    ).toBe(false);
  });

  test("production generates a random admin password when none is given and refuses the documented one", () => {
    const a = loadConfig({ NODE_ENV: "production", ...DEPLOYED, JWT_SECRET: SECRET });
    const b = loadConfig({ NODE_ENV: "production", ...DEPLOYED, JWT_SECRET: SECRET });
    expect(a.seed.adminPasswordGenerated).toBe(true);
    expect(a.seed.adminPassword).not.toBe(DEFAULT_ADMIN_PASSWORD);
    expect(a.seed.adminPassword).not.toBe(b.seed.adminPassword);
    expect(a.seed.adminPassword.length).toBeGreaterThanOrEqual(20);
    expect(() =>
      loadConfig({
        NODE_ENV: "production",
        ...DEPLOYED,
        JWT_SECRET: SECRET,
        ADMIN_PASSWORD: DEFAULT_ADMIN_PASSWORD,
      }),
    ).toThrow("ADMIN_PASSWORD");
  });

  test("on PostgreSQL, in any mode, an unset admin password is generated and the documented one is refused", () => {
    const url = "postgres://db/app";
    const a = loadConfig({ DATABASE_URL: url });
    expect(a.seed).toMatchObject({ adminPasswordGenerated: true, documentedPasswordRefused: true });
    expect(a.seed.adminPassword).not.toBe(DEFAULT_ADMIN_PASSWORD);
    expect(a.seed.adminPassword).not.toBe(loadConfig({ DATABASE_URL: url }).seed.adminPassword);
    expect(passwordProblem(a.seed.adminPassword, a.seed.adminEmail)).toBeNull();
    expect(() => loadConfig({ DATABASE_URL: url, ADMIN_PASSWORD: DEFAULT_ADMIN_PASSWORD })).toThrow(
      "ADMIN_PASSWORD must not be the documented default in production or on PostgreSQL",
    );
    expect(loadConfig({ DATABASE_URL: url, ADMIN_PASSWORD: "Chosen-Password-1" }).seed).toMatchObject({
      adminPassword: "Chosen-Password-1",
      adminPasswordGenerated: false,
    });
  });

  test("REUSE_PORT is off unless set: a busy port stops start-up", () => {
    expect(loadConfig({}).http.reusePort).toBe(false);
    expect(loadConfig({ REUSE_PORT: "true" }).http.reusePort).toBe(true);
    expect(() => loadConfig({ REUSE_PORT: "sometimes" })).toThrow("REUSE_PORT");
  });

  test("an empty variable counts as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", PORT: " " }).database.driver).toBe("pglite");
  });
});

test(".env.example documents every setting", () => {
  const example = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
  const documented = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
  expect(SETTING_NAMES.filter((name) => !documented.has(name))).toEqual([]);
  expect([...documented].filter((name) => !SETTING_NAMES.includes(name!))).toEqual([]);
});
