import { Type as T } from "@sinclair/typebox";
import { Int, Optional, type SettingsOf, Str } from "./setting-types";

export const databaseSettings = {
  DATABASE_URL: Optional("PostgreSQL URL; unset uses the embedded PGlite database"),
  PGLITE_DATA_DIR: Str("./data/pglite", "embedded database directory, or memory:// for RAM"),
  DB_POOL_SIZE: Int(20, 1, 1000, "pooled PostgreSQL connections"),
  DB_MAX_OVERFLOW: Int(30, 0, 1000, "extra connections allowed under load"),
  DB_STATEMENT_TIMEOUT_MS: Int(30_000, 100, 3_600_000, "PostgreSQL statement_timeout"),
  DB_CONNECT_TIMEOUT_SECONDS: Int(10, 1, 300, "time to wait for a PostgreSQL connection"),
  DB_IDLE_TIMEOUT_SECONDS: Int(60, 0, 86_400, "close a PostgreSQL connection idle this long (0: never)"),
  DB_APP_ROLE: T.String({
    default: "saas_app",
    pattern: "^[a-z_][a-z0-9_]{0,62}$",
    description: "database role every transaction enters, bound by row-level security",
  }),
};

export type DatabaseConfig =
  | { driver: "pglite"; dataDir: string; appRole: string }
  | {
      driver: "postgres";
      url: string;
      maxConnections: number;
      statementTimeoutMs: number;
      connectTimeoutSeconds: number;
      idleTimeoutSeconds: number;
      appRole: string;
    };

export function databaseConfig(env: SettingsOf<typeof databaseSettings>): DatabaseConfig {
  if (!env.DATABASE_URL) return { driver: "pglite", dataDir: env.PGLITE_DATA_DIR, appRole: env.DB_APP_ROLE };
  return {
    driver: "postgres",
    url: env.DATABASE_URL,
    maxConnections: env.DB_POOL_SIZE + env.DB_MAX_OVERFLOW,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    connectTimeoutSeconds: env.DB_CONNECT_TIMEOUT_SECONDS,
    idleTimeoutSeconds: env.DB_IDLE_TIMEOUT_SECONDS,
    appRole: env.DB_APP_ROLE,
  };
}
