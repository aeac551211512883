import type sendgrid from "@sendgrid/mail";
import type { Mailer } from "../../core/ports/mailer";

type MailService = typeof sendgrid;

export interface SendgridOptions {
  apiKey: string;
  from: string;
  /** Another API host (tests point this at a local stand-in). */
  baseUrl?: string;
}

export function sendgridMailer({ apiKey, from, baseUrl }: SendgridOptions): Mailer {
  // @sendgrid/mail brings axios, form-data and mime-db: loaded for the first message, not at every
  // start (where it cost more CPU than connecting to the database).
  let service: Promise<MailService> | undefined;
  const ready = () => {
    service ??= import("@sendgrid/mail").then(({ default: shared }) => {
      // The package's types describe only its shared default instance; its runtime also exports the
      // class, and an instance of our own keeps the API key out of process-wide state.
      const MailServiceClass = (shared as unknown as { MailService: new () => MailService }).MailService;
      const instance = new MailServiceClass();
      instance.setApiKey(apiKey);
      instance.setTimeout(10_000);
      if (baseUrl) {
        (
          instance as unknown as { client: { setDefaultRequest(key: string, value: string): void } }
        ).client.setDefaultRequest("baseUrl", baseUrl);
      }
      return instance;
    });
    return service;
  };
  return {
    async send(message) {
      await (await ready()).send({ ...message, from });
    },
  };
}
