import sendgrid from "@sendgrid/mail";
import type { Mailer } from "../../core/ports/mailer";

export function sendgridMailer(apiKey: string, from: string): Mailer {
  sendgrid.setApiKey(apiKey);
  sendgrid.setTimeout(10_000);
  return {
    async send(message) {
      await sendgrid.send({ ...message, from });
    },
  };
}
