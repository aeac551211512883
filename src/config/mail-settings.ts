import { Int, Optional, type SettingsOf, Str } from "./setting-types";

export const mailSettings = {
  SENDGRID_API_KEY: Optional("sends email through SendGrid when set"),
  EMAIL_FROM: Str("no-reply@example.com", "sender address"),
  MAIL_OUTBOX_PATH: Str("./data/outbox.jsonl", "local outbox file used without SendGrid"),
  EMAIL_VERIFICATION_TTL_SECONDS: Int(86_400, 60, 2_592_000, "lifetime of an email verification link"),
  PASSWORD_RESET_TTL_SECONDS: Int(3_600, 60, 86_400, "lifetime of a password reset link"),
  INVITATION_TTL_SECONDS: Int(604_800, 3_600, 2_592_000, "lifetime of an invitation link"),
  EMAIL_CHANGE_TTL_SECONDS: Int(3_600, 60, 86_400, "lifetime of an email change confirmation link"),
};

type MailSettings = SettingsOf<typeof mailSettings>;

export interface MailConfig {
  sendgridApiKey: string | null;
  from: string;
  outboxPath: string;
}

/** How long each kind of link mailed to users stays valid. */
export interface AccountConfig {
  verificationTtlSeconds: number;
  passwordResetTtlSeconds: number;
  emailChangeTtlSeconds: number;
  invitationTtlSeconds: number;
}

export function mailConfig(env: MailSettings): MailConfig {
  return {
    sendgridApiKey: env.SENDGRID_API_KEY ?? null,
    from: env.EMAIL_FROM,
    outboxPath: env.MAIL_OUTBOX_PATH,
  };
}

export function accountConfig(env: MailSettings): AccountConfig {
  return {
    verificationTtlSeconds: env.EMAIL_VERIFICATION_TTL_SECONDS,
    passwordResetTtlSeconds: env.PASSWORD_RESET_TTL_SECONDS,
    emailChangeTtlSeconds: env.EMAIL_CHANGE_TTL_SECONDS,
    invitationTtlSeconds: env.INVITATION_TTL_SECONDS,
  };
}
