import type { Mailer, MailMessage } from "../../src/core/ports/mailer";

/** A mailer that keeps what it is given, for tests to read (and to wait for background sends). */
export function recordingMailer() {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(message: MailMessage) {
      sent.push(message);
    },
    /** The newest message to `to`, waiting (bounded) for it. */
    async waitFor(to: string, timeoutMs = 2_000): Promise<MailMessage> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = sent.findLast((m) => m.to === to);
        if (found) return found;
        await Bun.sleep(5);
      }
      throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    },
    to: (to: string) => sent.filter((m) => m.to === to),
  } satisfies Mailer & Record<string, unknown>;
}

/** The token carried by the link in a message. */
export function tokenFromLink(message: MailMessage): string {
  const match = message.text.match(/[?&]token=([^\s&]+)/);
  if (!match?.[1]) throw new Error(`no token link in: ${message.text}`);
  return decodeURIComponent(match[1]);
}
