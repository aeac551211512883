import { Int, type SettingsOf } from "./setting-types";

export const abuseSettings = {
  RATE_LIMIT_IP_LIMIT: Int(20, 1, 1_000_000, "requests per client IP and endpoint in a window"),
  RATE_LIMIT_IP_WINDOW_SECONDS: Int(60, 1, 86_400, "the per-IP window"),
  RATE_LIMIT_ACCOUNT_LIMIT: Int(10, 1, 1_000_000, "requests per (tenant, email) and endpoint in a window"),
  RATE_LIMIT_ACCOUNT_WINDOW_SECONDS: Int(900, 1, 86_400, "the per-account window"),
  RATE_LIMIT_INVITATION_USER_LIMIT: Int(20, 1, 1_000_000, "users one caller may create in a window"),
  RATE_LIMIT_INVITATION_TENANT_LIMIT: Int(100, 1, 1_000_000, "users created per tenant in a window"),
  RATE_LIMIT_INVITATION_WINDOW_SECONDS: Int(3_600, 1, 86_400, "the window of both invitation limits"),
  RATE_LIMIT_API_KEY_LIMIT: Int(600, 1, 1_000_000, "requests per API key (api and client kinds) per minute"),
  LOGIN_LOCKOUT_THRESHOLD: Int(5, 1, 1_000, "failed logins of an account before it is slowed down"),
  LOGIN_LOCKOUT_BASE_SECONDS: Int(1, 1, 3_600, "the first lock; each further failure doubles it"),
  LOGIN_LOCKOUT_MAX_SECONDS: Int(900, 1, 86_400, "the longest lock"),
  LOGIN_LOCKOUT_WINDOW_SECONDS: Int(3_600, 1, 86_400, "failures older than this are forgotten"),
};

interface Limit {
  limit: number;
  windowSeconds: number;
}

export interface AbuseConfig {
  perIp: Limit;
  perAccount: Limit;
  /** Creating users, each of whom is mailed: per acting user and per tenant. */
  invitation: { perUser: Limit; perTenant: Limit };
  /** Requests per API key of the api and client kinds. */
  perApiKey: Limit;
  lockout: { threshold: number; baseSeconds: number; maxSeconds: number; windowSeconds: number };
}

export function abuseConfig(env: SettingsOf<typeof abuseSettings>): AbuseConfig {
  const invitationWindow = env.RATE_LIMIT_INVITATION_WINDOW_SECONDS;
  return {
    perIp: { limit: env.RATE_LIMIT_IP_LIMIT, windowSeconds: env.RATE_LIMIT_IP_WINDOW_SECONDS },
    perAccount: { limit: env.RATE_LIMIT_ACCOUNT_LIMIT, windowSeconds: env.RATE_LIMIT_ACCOUNT_WINDOW_SECONDS },
    invitation: {
      perUser: { limit: env.RATE_LIMIT_INVITATION_USER_LIMIT, windowSeconds: invitationWindow },
      perTenant: { limit: env.RATE_LIMIT_INVITATION_TENANT_LIMIT, windowSeconds: invitationWindow },
    },
    perApiKey: { limit: env.RATE_LIMIT_API_KEY_LIMIT, windowSeconds: 60 },
    lockout: {
      threshold: env.LOGIN_LOCKOUT_THRESHOLD,
      baseSeconds: env.LOGIN_LOCKOUT_BASE_SECONDS,
      maxSeconds: env.LOGIN_LOCKOUT_MAX_SECONDS,
      windowSeconds: env.LOGIN_LOCKOUT_WINDOW_SECONDS,
    },
  };
}
