import { Type as T } from "@sinclair/typebox";
import { Int, invalid, Optional, type SettingsOf, Str } from "./setting-types";

export const mailSettings = {
  MAIL_DRIVER: T.Optional(
    T.Union([T.Literal("sendgrid"), T.Literal("outbox")], {
      description: "sendgrid or outbox; default sendgrid when SENDGRID_API_KEY is set, else outbox",
    }),
  ),
  SENDGRID_API_KEY: Optional("sends email through SendGrid when set"),
  EMAIL_FROM: Str("no-reply@example.com", "sender address"),
  MAIL_OUTBOX_PATH: Str("./data/outbox.jsonl", "local outbox file used without SendGrid"),
  EMAIL_VERIFICATION_TTL_SECONDS: Int(86_400, 60, 2_592_000, "lifetime of an email verification link"),
  PASSWORD_RESET_TTL_SECONDS: Int(3_600, 60, 86_400, "lifetime of a password reset link"),
  INVITATION_TTL_SECONDS: Int(604_800, 3_600, 2_592_000, "lifetime of an invitation link"),
  EMAIL_CHANGE_TTL_SECONDS: Int(3_600, 60, 86_400, "lifetime of an email change confirmation link"),
};

type MailSettings = SettingsOf<typeof mailSettings>;

export type MailConfig =
  | { driver: "sendgrid"; sendgridApiKey: string; from: string }
  | { driver: "outbox"; outboxPath: string };

/** How long each kind of link mailed to users stays valid. */
export interface AccountConfig {
  verificationTtlSeconds: number;
  passwordResetTtlSeconds: number;
  emailChangeTtlSeconds: number;
  invitationTtlSeconds: number;
}

/**
 * The outbox file holds live reset and invitation links: in production it is used only when chosen
 * by name, never because SENDGRID_API_KEY was forgotten.
 */
export function mailConfig(env: MailSettings, production: boolean): MailConfig {
  const driver = env.MAIL_DRIVER ?? (env.SENDGRID_API_KEY ? "sendgrid" : "outbox");
  if (driver === "sendgrid") {
    if (!env.SENDGRID_API_KEY) throw invalid("MAIL_DRIVER=sendgrid needs SENDGRID_API_KEY.");
    return { driver, sendgridApiKey: env.SENDGRID_API_KEY, from: env.EMAIL_FROM };
  }
  if (production && env.MAIL_DRIVER !== "outbox") {
    throw invalid(
      "NODE_ENV=production needs SENDGRID_API_KEY, or MAIL_DRIVER=outbox to write mail to MAIL_OUTBOX_PATH on purpose.",
    );
  }
  return { driver: "outbox", outboxPath: env.MAIL_OUTBOX_PATH };
}

export function accountConfig(env: MailSettings): AccountConfig {
  return {
    verificationTtlSeconds: env.EMAIL_VERIFICATION_TTL_SECONDS,
    passwordResetTtlSeconds: env.PASSWORD_RESET_TTL_SECONDS,
    emailChangeTtlSeconds: env.EMAIL_CHANGE_TTL_SECONDS,
    invitationTtlSeconds: env.INVITATION_TTL_SECONDS,
  };
}
