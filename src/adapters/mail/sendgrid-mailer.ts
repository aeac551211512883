import sendgrid from "@sendgrid/mail";
import type { Mailer } from "../../core/ports/mailer";

type MailService = typeof sendgrid;

// The package's types describe only its shared default instance; its runtime also exports the class,
// and an instance of our own keeps the API key out of process-wide state.
const MailServiceClass = (sendgrid as unknown as { MailService: new () => MailService }).MailService;

export interface SendgridOptions {
  apiKey: string;
  from: string;
  /** Another API host (tests point this at a local stand-in). */
  baseUrl?: string;
}

export function sendgridMailer({ apiKey, from, baseUrl }: SendgridOptions): Mailer {
  const service = new MailServiceClass();
  service.setApiKey(apiKey);
  service.setTimeout(10_000);
  if (baseUrl) {
    (
      service as unknown as { client: { setDefaultRequest(key: string, value: string): void } }
    ).client.setDefaultRequest("baseUrl", baseUrl);
  }
  return {
    async send(message) {
      await service.send({ ...message, from });
    },
  };
}
