import { type Static, Type as T } from "@sinclair/typebox";
import { type AbuseConfig, abuseConfig, abuseSettings } from "./config/abuse-settings";
import { type AuditConfig, auditConfig, auditSettings } from "./config/audit-settings";
import { type AuthConfig, authConfig, authSettings } from "./config/auth-settings";
import { type CacheConfig, cacheConfig, cacheSettings } from "./config/cache-settings";
import { type DatabaseConfig, databaseConfig, databaseSettings } from "./config/database-settings";
import {
  type AccountConfig,
  accountConfig,
  type MailConfig,
  mailConfig,
  mailSettings,
} from "./config/mail-settings";
import { readEnvironment } from "./config/read-environment";
import { type SeedConfig, seedConfig, seedSettings } from "./config/seed-settings";
import { type HttpConfig, httpConfig, type LogLevel, serverSettings } from "./config/server-settings";
import { type SignupConfig, signupConfig, signupSettings } from "./config/signup-settings";
import { type WebhookConfig, webhookConfig, webhookSettings } from "./config/webhook-settings";

export { DEFAULT_ADMIN_PASSWORD } from "./config/seed-settings";
export { ConfigError } from "./config/setting-types";

/** Every setting, by its environment variable name. `.env.example` documents the same list. */
const EnvSchema = T.Object({
  NODE_ENV: T.Union([T.Literal("development"), T.Literal("production"), T.Literal("test")], {
    default: "development",
  }),
  ...serverSettings,
  ...databaseSettings,
  ...cacheSettings,
  ...authSettings,
  ...abuseSettings,
  ...mailSettings,
  ...auditSettings,
  ...seedSettings,
  ...signupSettings,
  ...webhookSettings,
});

type Env = Static<typeof EnvSchema>;

/** The names of every environment variable the app reads. */
export const SETTING_NAMES = Object.keys(EnvSchema.properties);

export interface Config {
  env: Env["NODE_ENV"];
  http: HttpConfig;
  logLevel: LogLevel;
  database: DatabaseConfig;
  cache: CacheConfig;
  auth: AuthConfig;
  mail: MailConfig;
  abuse: AbuseConfig;
  account: AccountConfig;
  seed: SeedConfig;
  audit: AuditConfig;
  signup: SignupConfig;
  webhooks: WebhookConfig;
}

/** Reads and validates the configuration. Throws a ConfigError whose message is one line. */
export function loadConfig(raw: Record<string, string | undefined> = process.env): Config {
  const env = readEnvironment(EnvSchema, raw);
  const production = env.NODE_ENV === "production";
  const auth = authConfig(env, production);
  const seed = seedConfig(env, { production, onPostgres: env.DATABASE_URL !== undefined });
  return {
    env: env.NODE_ENV,
    http: httpConfig(env, production),
    logLevel: env.LOG_LEVEL,
    database: databaseConfig(env),
    cache: cacheConfig(env),
    auth,
    mail: mailConfig(env, production),
    abuse: abuseConfig(env),
    account: accountConfig(env),
    seed,
    audit: auditConfig(env),
    signup: signupConfig(env),
    webhooks: webhookConfig(env, production),
  };
}
