import { randomBytes } from "node:crypto";
import { invalid, Optional, type SettingsOf, Str } from "./setting-types";

export const DEFAULT_ADMIN_PASSWORD = "SuperAdmin123!";

export const seedSettings = {
  ADMIN_EMAIL: Str("admin@example.com", "seeded super admin"),
  ADMIN_PASSWORD: Optional("seeded super admin's password"),
};

export interface SeedConfig {
  adminEmail: string;
  adminPassword: string;
  adminPasswordGenerated: boolean;
  /** In production and on PostgreSQL the documented password would open a real deployment. */
  documentedPasswordRefused: boolean;
}

/**
 * The documented password is for trying the embedded database; PostgreSQL means real data. Where it
 * is refused and none is set, one is generated for this process.
 */
export function seedConfig(
  env: SettingsOf<typeof seedSettings>,
  deployment: { production: boolean; onPostgres: boolean },
): SeedConfig {
  const documentedPasswordRefused = deployment.production || deployment.onPostgres;
  if (documentedPasswordRefused && env.ADMIN_PASSWORD === DEFAULT_ADMIN_PASSWORD) {
    throw invalid(
      "ADMIN_PASSWORD must not be the documented default in production or on PostgreSQL (DATABASE_URL).",
    );
  }
  return {
    adminEmail: env.ADMIN_EMAIL,
    adminPassword:
      env.ADMIN_PASSWORD ??
      (documentedPasswordRefused ? randomBytes(18).toString("base64url") : DEFAULT_ADMIN_PASSWORD),
    adminPasswordGenerated: env.ADMIN_PASSWORD === undefined && documentedPasswordRefused,
    documentedPasswordRefused,
  };
}
