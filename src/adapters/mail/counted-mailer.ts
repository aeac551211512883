import type { Mailer } from "../../core/ports/mailer";
import type { Telemetry } from "../../core/ports/telemetry";

/** The mailer the use cases see, counting each send as sent or failed (the failure is rethrown). */
export function countedMailer(mailer: Mailer, telemetry: Pick<Telemetry, "mailSend">): Mailer {
  return {
    async send(message) {
      try {
        await mailer.send(message);
      } catch (error) {
        telemetry.mailSend("failed");
        throw error;
      }
      telemetry.mailSend("sent");
    },
  };
}
