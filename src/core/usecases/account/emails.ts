import type { MailMessage } from "../../ports/mailer";

function message(
  to: string,
  subject: string,
  lines: string[],
  link?: { url: string; label: string },
): MailMessage {
  const text = [...lines, ...(link ? ["", `${link.label}: ${link.url}`] : [])].join("\n");
  const html = [
    ...lines.map((line) => `<p>${Bun.escapeHTML(line)}</p>`),
    ...(link ? [`<p><a href="${Bun.escapeHTML(link.url)}">${Bun.escapeHTML(link.label)}</a></p>`] : []),
  ].join("\n");
  return { to, subject, text, html };
}

/** The messages the account flows send. Plain and short; a fork replaces them with its branding. */
export const emails = {
  verifyEmail: (to: string, url: string, hours: number) =>
    message(
      to,
      "Verify your email address",
      ["Please confirm that this is your email address.", `The link works once, for ${hours} hours.`],
      { url, label: "Verify your email" },
    ),

  resetPassword: (to: string, url: string, minutes: number) =>
    message(
      to,
      "Reset your password",
      [
        "Someone asked to reset the password of your account. If it was not you, ignore this message.",
        `The link works once, for ${minutes} minutes.`,
      ],
      { url, label: "Choose a new password" },
    ),

  confirmEmailChange: (to: string, url: string, minutes: number) =>
    message(
      to,
      "Confirm your new email address",
      [
        "Your account's email address is about to change to this one.",
        `Confirm within ${minutes} minutes; until then nothing changes.`,
      ],
      { url, label: "Confirm the change" },
    ),

  invitation: (to: string, tenantName: string, url: string, days: number) =>
    message(
      to,
      `You are invited to ${tenantName}`,
      [
        `An account was created for you in ${tenantName}. Choose a password to start.`,
        `The link works once, for ${days} days.`,
      ],
      { url, label: "Choose your password" },
    ),

  emailChanged: (to: string, newEmail: string) =>
    message(to, "Your email address was changed", [
      `Your account's email address was changed to ${newEmail}.`,
      "If you did not do this, contact your administrator at once.",
    ]),
};
