import type { MailMessage } from "../../ports/mailer";

/** A tenant in a mail: its name, its slug, and where to sign in to it. */
export interface WorkspaceHint {
  name: string;
  slug: string;
  signInUrl: string;
}

function message(to: string, subject: string, lines: string[]): MailMessage {
  return {
    to,
    subject,
    text: lines.join("\n"),
    html: lines.map((line) => `<p>${Bun.escapeHTML(line)}</p>`).join("\n"),
  };
}

const listed = (workspaces: WorkspaceHint[]) =>
  workspaces.map(({ name, slug, signInUrl }) => `${name} (workspace "${slug}"): ${signInUrl}`);

/** To the new admin: the verification link, and the workspace to sign in to once verified. */
export function welcomeEmail(
  to: string,
  workspace: WorkspaceHint,
  verifyUrl: string,
  hours: number,
): MailMessage {
  const { html, text } = message(to, "", [
    `Your workspace ${workspace.name} is ready. Its name to sign in with is "${workspace.slug}": ${workspace.signInUrl}`,
    "First confirm that this is your email address; until then you cannot sign in.",
    `The link works once, for ${hours} hours.`,
  ]);
  return {
    to,
    subject: "Confirm your email to finish signing up",
    text: `${text}\n\nVerify your email: ${verifyUrl}`,
    html: `${html}\n<p><a href="${Bun.escapeHTML(verifyUrl)}">Verify your email</a></p>`,
  };
}

/** To an address that already has an account, instead of a second one: sign-up reveals nothing to the caller. */
export function signUpNoticeEmail(to: string, workspaces: WorkspaceHint[]): MailMessage {
  return message(to, "You already have an account", [
    "Someone, maybe you, tried to sign up with this address. It already has an account, so nothing was created.",
    "Sign in to your workspace, or ask for a password reset there if you forgot your password:",
    ...listed(workspaces),
    "If it was not you, you can ignore this message.",
  ]);
}

/** The answer to "find your workspace", sent only to the address asked about. */
export function workspaceListEmail(to: string, workspaces: WorkspaceHint[]): MailMessage {
  return message(to, "Your workspaces", [
    "You asked which workspaces this address can sign in to. Here they are, with the workspace name to sign in with:",
    ...listed(workspaces),
    "If you did not ask, you can ignore this message.",
  ]);
}
