import { randomBytes } from "node:crypto";
import { type Static, Type as T } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { isProxyEntry } from "./http/client-ip";

const Int = (fallback: number, minimum: number, maximum: number, description: string) =>
  T.Integer({ default: fallback, minimum, maximum, description });
const Str = (fallback: string, description: string) =>
  T.String({ default: fallback, minLength: 1, description });
const Optional = (description: string) => T.Optional(T.String({ minLength: 1, description }));

/** Every setting, by its environment variable name. `.env.example` documents the same list. */
const EnvSchema = T.Object({
  NODE_ENV: T.Union([T.Literal("development"), T.Literal("production"), T.Literal("test")], {
    default: "development",
  }),
  HOST: Str("0.0.0.0", "interface to listen on"),
  PORT: Int(8080, 0, 65535, "HTTP port"),
  PUBLIC_URL: Optional("base URL of the API as users reach it, for links in emails"),
  APP_URL: Optional("base URL of your web app, for the password-reset link (default PUBLIC_URL)"),
  BASE_DOMAIN: T.Optional(
    T.String({
      pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$",
      description:
        "a bare host name (no scheme, port or path); tenants are then served at {slug}.BASE_DOMAIN",
    }),
  ),
  TRUSTED_PROXIES: T.String({
    default: "",
    description: "addresses or CIDR ranges of the proxies in front of the app, comma separated",
  }),
  MAX_BODY_BYTES: Int(1_048_576, 1_024, 104_857_600, "largest accepted request body"),
  LOG_LEVEL: T.Union([T.Literal("debug"), T.Literal("info"), T.Literal("warn"), T.Literal("error")], {
    default: "info",
  }),
  METRICS_TOKEN: T.Optional(
    T.String({ minLength: 16, description: "when set, GET /metrics requires Authorization: Bearer <token>" }),
  ),
  SHUTDOWN_TIMEOUT_SECONDS: Int(10, 1, 300, "how long in-flight requests may finish on SIGTERM"),
  REUSE_PORT: T.Boolean({
    default: false,
    description: "share PORT with processes that set it too (SO_REUSEPORT); else a busy port stops start-up",
  }),

  DATABASE_URL: Optional("PostgreSQL URL; unset uses the embedded PGlite database"),
  PGLITE_DATA_DIR: Str("./data/pglite", "embedded database directory, or memory:// for RAM"),
  DB_POOL_SIZE: Int(20, 1, 1000, "pooled PostgreSQL connections"),
  DB_MAX_OVERFLOW: Int(30, 0, 1000, "extra connections allowed under load"),
  DB_STATEMENT_TIMEOUT_MS: Int(30_000, 100, 3_600_000, "PostgreSQL statement_timeout"),
  DB_CONNECT_TIMEOUT_SECONDS: Int(10, 1, 300, "time to wait for a PostgreSQL connection"),

  REDIS_URL: Optional("Redis URL; unset uses an in-process cache"),
  CACHE_KEY_PREFIX: Str("saas:", "prefix of every Redis key"),
  TENANT_CACHE_TTL_SECONDS: Int(3600, 1, 86_400, "tenant cache lifetime"),
  SESSION_CACHE_TTL_SECONDS: Int(300, 1, 86_400, "session state cache lifetime"),
  PERMISSION_CACHE_TTL_SECONDS: Int(300, 1, 86_400, "role permissions cache lifetime"),
  FLAG_CACHE_TTL_SECONDS: Int(3600, 1, 86_400, "feature flag definitions cache lifetime"),
  CACHE_LOCAL_SECONDS: Int(
    60,
    0,
    3_600,
    "how long an instance serves a Redis cache entry from memory (0: never)",
  ),

  JWT_SECRET: Optional("HS256 key, at least 32 bytes; required in production"),
  JWT_ISSUER: Str("saas-backend", "iss claim"),
  JWT_AUDIENCE: Str("saas-api", "aud claim"),
  ACCESS_TOKEN_TTL_SECONDS: Int(900, 30, 86_400, "access token lifetime"),
  REFRESH_TOKEN_TTL_SECONDS: Int(604_800, 60, 31_536_000, "absolute session lifetime"),
  REFRESH_TOKEN_CLEANUP_INTERVAL_SECONDS: Int(
    3_600,
    1,
    86_400,
    "how often expired sessions and tokens are deleted",
  ),
  SESSION_IDLE_TIMEOUT_SECONDS: Int(259_200, 60, 31_536_000, "a session not refreshed for this long ends"),
  REFRESH_REUSE_GRACE_SECONDS: Int(10, 0, 300, "a just-retired refresh token still works this long"),
  BCRYPT_COST: Int(12, 4, 31, "bcrypt work factor"),

  RATE_LIMIT_IP_LIMIT: Int(20, 1, 1_000_000, "requests per client IP and endpoint in a window"),
  RATE_LIMIT_IP_WINDOW_SECONDS: Int(60, 1, 86_400, "the per-IP window"),
  RATE_LIMIT_ACCOUNT_LIMIT: Int(10, 1, 1_000_000, "requests per (tenant, email) and endpoint in a window"),
  RATE_LIMIT_ACCOUNT_WINDOW_SECONDS: Int(900, 1, 86_400, "the per-account window"),
  RATE_LIMIT_INVITATION_USER_LIMIT: Int(20, 1, 1_000_000, "users one caller may create in a window"),
  RATE_LIMIT_INVITATION_TENANT_LIMIT: Int(100, 1, 1_000_000, "users created per tenant in a window"),
  RATE_LIMIT_INVITATION_WINDOW_SECONDS: Int(3_600, 1, 86_400, "the window of both invitation limits"),
  LOGIN_LOCKOUT_THRESHOLD: Int(5, 1, 1_000, "failed logins of an account before it is slowed down"),
  LOGIN_LOCKOUT_BASE_SECONDS: Int(1, 1, 3_600, "the first lock; each further failure doubles it"),
  LOGIN_LOCKOUT_MAX_SECONDS: Int(900, 1, 86_400, "the longest lock"),
  LOGIN_LOCKOUT_WINDOW_SECONDS: Int(3_600, 1, 86_400, "failures older than this are forgotten"),

  SENDGRID_API_KEY: Optional("sends email through SendGrid when set"),
  EMAIL_FROM: Str("no-reply@example.com", "sender address"),
  MAIL_OUTBOX_PATH: Str("./data/outbox.jsonl", "local outbox file used without SendGrid"),
  EMAIL_VERIFICATION_TTL_SECONDS: Int(86_400, 60, 2_592_000, "lifetime of an email verification link"),
  PASSWORD_RESET_TTL_SECONDS: Int(3_600, 60, 86_400, "lifetime of a password reset link"),
  INVITATION_TTL_SECONDS: Int(604_800, 3_600, 2_592_000, "lifetime of an invitation link"),
  EMAIL_CHANGE_TTL_SECONDS: Int(3_600, 60, 86_400, "lifetime of an email change confirmation link"),

  AUDIT_RETENTION_DAYS: T.Optional(
    T.Integer({ minimum: 1, maximum: 36_500, description: "audit events older than this are deleted" }),
  ),

  ADMIN_EMAIL: Str("admin@example.com", "seeded super admin"),
  ADMIN_PASSWORD: Optional("seeded super admin's password"),
});

type Env = Static<typeof EnvSchema>;

/** The names of every environment variable the app reads. */
export const SETTING_NAMES = Object.keys(EnvSchema.properties);

export class ConfigError extends Error {
  override name = "ConfigError";
}

export const DEFAULT_ADMIN_PASSWORD = "SuperAdmin123!";

export interface Config {
  env: Env["NODE_ENV"];
  http: {
    host: string;
    port: number;
    publicUrl: string;
    appUrl: string;
    baseDomain: string | null;
    trustedProxies: string[];
    maxBodyBytes: number;
    metricsToken: string | null;
    shutdownTimeoutSeconds: number;
    reusePort: boolean;
  };
  logLevel: Env["LOG_LEVEL"];
  database:
    | { driver: "pglite"; dataDir: string }
    | {
        driver: "postgres";
        url: string;
        maxConnections: number;
        statementTimeoutMs: number;
        connectTimeoutSeconds: number;
      };
  cache: {
    redisUrl: string | null;
    keyPrefix: string;
    tenantTtlSeconds: number;
    sessionTtlSeconds: number;
    permissionTtlSeconds: number;
    flagTtlSeconds: number;
    localSeconds: number;
  };
  auth: {
    jwtSecret: string;
    jwtSecretGenerated: boolean;
    issuer: string;
    audience: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    sessionIdleTimeoutSeconds: number;
    cleanupIntervalSeconds: number;
    refreshReuseGraceSeconds: number;
    bcryptCost: number;
  };
  mail: { sendgridApiKey: string | null; from: string; outboxPath: string };
  abuse: {
    perIp: { limit: number; windowSeconds: number };
    perAccount: { limit: number; windowSeconds: number };
    /** Creating users, each of whom is mailed: per acting user and per tenant. */
    invitation: {
      perUser: { limit: number; windowSeconds: number };
      perTenant: { limit: number; windowSeconds: number };
    };
    lockout: { threshold: number; baseSeconds: number; maxSeconds: number; windowSeconds: number };
  };
  account: {
    verificationTtlSeconds: number;
    passwordResetTtlSeconds: number;
    emailChangeTtlSeconds: number;
    invitationTtlSeconds: number;
  };
  seed: {
    adminEmail: string;
    adminPassword: string;
    adminPasswordGenerated: boolean;
    /** In production and on PostgreSQL the documented password would open a real deployment. */
    documentedPasswordRefused: boolean;
  };
  /** Days audit events are kept; null keeps them forever. */
  audit: { retentionDays: number | null };
}

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  "1": true,
  yes: true,
  false: false,
  "0": false,
  no: false,
};

/** Turns the environment's strings into the schema's types; what cannot be converted is left to fail. */
function coerce(raw: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(EnvSchema.properties)) {
    const value = raw[name]?.trim();
    if (value === undefined || value === "") continue;
    const type = (property as { type?: string }).type;
    if (type === "integer") out[name] = /^-?\d+$/.test(value) ? Number(value) : value;
    else if (type === "boolean") out[name] = BOOLEAN_WORDS[value.toLowerCase()] ?? value;
    else out[name] = value;
  }
  return out;
}

interface SchemaError {
  path: string;
  message: string;
  value: unknown;
  schema: { anyOf?: { const?: unknown }[]; pattern?: string; description?: string };
}

function describe(error: SchemaError): string {
  const name = error.path.replace(/^\//, "");
  const choices = error.schema.anyOf?.map((option) => option.const).join(", ");
  const problem = choices
    ? `must be one of ${choices}`
    : error.schema.pattern && error.schema.description
      ? `must be ${error.schema.description}`
      : error.message.replace(/^Expected/, "expected");
  return `${name} ${problem} (got ${JSON.stringify(error.value)})`;
}

/** Reads and validates the configuration. Throws a ConfigError whose message is one line. */
export function loadConfig(raw: Record<string, string | undefined> = process.env): Config {
  const input = Value.Default(EnvSchema, coerce(raw));
  const first = Value.Errors(EnvSchema, input).First() as Parameters<typeof describe>[0] | undefined;
  if (first) throw new ConfigError(`Invalid configuration: ${describe(first)}.`);
  const env = input as Env;
  const production = env.NODE_ENV === "production";

  if (env.JWT_SECRET !== undefined && Buffer.byteLength(env.JWT_SECRET) < 32) {
    throw new ConfigError("Invalid configuration: JWT_SECRET must be at least 32 bytes long.");
  }
  if (production && env.JWT_SECRET === undefined) {
    throw new ConfigError("Invalid configuration: JWT_SECRET is required when NODE_ENV=production.");
  }
  // The documented password is for trying the embedded database; PostgreSQL means real data.
  const documentedPasswordRefused = production || env.DATABASE_URL !== undefined;
  if (documentedPasswordRefused && env.ADMIN_PASSWORD === DEFAULT_ADMIN_PASSWORD) {
    throw new ConfigError(
      "Invalid configuration: ADMIN_PASSWORD must not be the documented default in production or on PostgreSQL (DATABASE_URL).",
    );
  }

  const trustedProxies = env.TRUSTED_PROXIES.split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const badProxy = trustedProxies.find((entry) => !isProxyEntry(entry));
  if (badProxy !== undefined) {
    throw new ConfigError(
      `Invalid configuration: TRUSTED_PROXIES must list IP addresses or CIDR ranges (got ${JSON.stringify(badProxy)}).`,
    );
  }
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
  const adminPassword =
    env.ADMIN_PASSWORD ??
    (documentedPasswordRefused ? randomBytes(18).toString("base64url") : DEFAULT_ADMIN_PASSWORD);

  return {
    env: env.NODE_ENV,
    http: {
      host: env.HOST,
      port: env.PORT,
      publicUrl,
      appUrl: (env.APP_URL ?? publicUrl).replace(/\/+$/, ""),
      baseDomain: env.BASE_DOMAIN?.toLowerCase() ?? null,
      trustedProxies,
      maxBodyBytes: env.MAX_BODY_BYTES,
      metricsToken: env.METRICS_TOKEN ?? null,
      shutdownTimeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS,
      reusePort: env.REUSE_PORT,
    },
    logLevel: env.LOG_LEVEL,
    database: env.DATABASE_URL
      ? {
          driver: "postgres",
          url: env.DATABASE_URL,
          maxConnections: env.DB_POOL_SIZE + env.DB_MAX_OVERFLOW,
          statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
          connectTimeoutSeconds: env.DB_CONNECT_TIMEOUT_SECONDS,
        }
      : { driver: "pglite", dataDir: env.PGLITE_DATA_DIR },
    cache: {
      redisUrl: env.REDIS_URL ?? null,
      keyPrefix: env.CACHE_KEY_PREFIX,
      tenantTtlSeconds: env.TENANT_CACHE_TTL_SECONDS,
      sessionTtlSeconds: env.SESSION_CACHE_TTL_SECONDS,
      permissionTtlSeconds: env.PERMISSION_CACHE_TTL_SECONDS,
      flagTtlSeconds: env.FLAG_CACHE_TTL_SECONDS,
      localSeconds: env.CACHE_LOCAL_SECONDS,
    },
    auth: {
      jwtSecret: env.JWT_SECRET ?? randomBytes(48).toString("base64url"),
      jwtSecretGenerated: env.JWT_SECRET === undefined,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      sessionIdleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
      cleanupIntervalSeconds: env.REFRESH_TOKEN_CLEANUP_INTERVAL_SECONDS,
      refreshReuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
      bcryptCost: env.BCRYPT_COST,
    },
    mail: {
      sendgridApiKey: env.SENDGRID_API_KEY ?? null,
      from: env.EMAIL_FROM,
      outboxPath: env.MAIL_OUTBOX_PATH,
    },
    abuse: {
      perIp: { limit: env.RATE_LIMIT_IP_LIMIT, windowSeconds: env.RATE_LIMIT_IP_WINDOW_SECONDS },
      perAccount: {
        limit: env.RATE_LIMIT_ACCOUNT_LIMIT,
        windowSeconds: env.RATE_LIMIT_ACCOUNT_WINDOW_SECONDS,
      },
      invitation: {
        perUser: {
          limit: env.RATE_LIMIT_INVITATION_USER_LIMIT,
          windowSeconds: env.RATE_LIMIT_INVITATION_WINDOW_SECONDS,
        },
        perTenant: {
          limit: env.RATE_LIMIT_INVITATION_TENANT_LIMIT,
          windowSeconds: env.RATE_LIMIT_INVITATION_WINDOW_SECONDS,
        },
      },
      lockout: {
        threshold: env.LOGIN_LOCKOUT_THRESHOLD,
        baseSeconds: env.LOGIN_LOCKOUT_BASE_SECONDS,
        maxSeconds: env.LOGIN_LOCKOUT_MAX_SECONDS,
        windowSeconds: env.LOGIN_LOCKOUT_WINDOW_SECONDS,
      },
    },
    account: {
      verificationTtlSeconds: env.EMAIL_VERIFICATION_TTL_SECONDS,
      passwordResetTtlSeconds: env.PASSWORD_RESET_TTL_SECONDS,
      emailChangeTtlSeconds: env.EMAIL_CHANGE_TTL_SECONDS,
      invitationTtlSeconds: env.INVITATION_TTL_SECONDS,
    },
    seed: {
      adminEmail: env.ADMIN_EMAIL,
      adminPassword,
      adminPasswordGenerated: env.ADMIN_PASSWORD === undefined && documentedPasswordRefused,
      documentedPasswordRefused,
    },
    audit: { retentionDays: env.AUDIT_RETENTION_DAYS ?? null },
  };
}
