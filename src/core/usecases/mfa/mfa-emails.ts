import type { MailMessage } from "../../ports/mailer";

/** Tells a user that an admin removed their second factor (so an unexpected reset is noticed). */
export function mfaResetEmail(to: string, tenantName: string): MailMessage {
  const lines = [
    `An administrator of ${tenantName} reset the two-factor sign-in of your account, and signed your sessions out.`,
    "Sign in with your password and set it up again. If you did not ask for this, tell your administrator.",
  ];
  return {
    to,
    subject: "Your two-factor sign-in was reset",
    text: lines.join("\n"),
    html: lines.map((line) => `<p>${Bun.escapeHTML(line)}</p>`).join("\n"),
  };
}
