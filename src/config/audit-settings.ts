import { Type as T } from "@sinclair/typebox";
import type { SettingsOf } from "./setting-types";

export const auditSettings = {
  AUDIT_RETENTION_DAYS: T.Optional(
    T.Integer({ minimum: 1, maximum: 36_500, description: "audit events older than this are deleted" }),
  ),
};

/** Days audit events are kept; null keeps them forever. */
export interface AuditConfig {
  retentionDays: number | null;
}

export function auditConfig(env: SettingsOf<typeof auditSettings>): AuditConfig {
  return { retentionDays: env.AUDIT_RETENTION_DAYS ?? null };
}
