import { outboxMailer } from "../adapters/mail/outbox-mailer";
import { sendgridMailer } from "../adapters/mail/sendgrid-mailer";
import type { Config } from "../config";
import type { Clock } from "../core/ports/clock";
import type { Mailer } from "../core/ports/mailer";

/** SendGrid or the local outbox file, as MAIL_DRIVER chose. */
export function createMailer(config: Config["mail"], clock: Clock): Mailer {
  return config.driver === "sendgrid"
    ? sendgridMailer({ apiKey: config.sendgridApiKey, from: config.from })
    : outboxMailer(config.outboxPath, clock);
}
