import list from "./common-passwords.txt" with { type: "text" };
import { ValidationError } from "./errors";
import { normalizeEmail } from "./user";

export type PasswordProblem = "too_short" | "too_long" | "common" | "same_as_email";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** Breached passwords of at least PASSWORD_MIN_LENGTH characters, lower-cased; see scripts/build-common-passwords.ts. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(list.split(/\r?\n/).filter((line) => line.length > 0));

const MESSAGES: Record<PasswordProblem, string> = {
  too_short: `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`,
  too_long: `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`,
  common: "The password is too common; it appears in lists of breached passwords.",
  same_as_email: "The password must not be the same as the email address.",
};

function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

function isSameAsEmail(candidate: string, email: string): boolean {
  const address = normalizeEmail(email);
  if (candidate === address) return true;
  const at = address.lastIndexOf("@");
  if (at < 0) return false;
  const localPart = address.slice(0, at);
  return codePointLength(localPart) >= PASSWORD_MIN_LENGTH && candidate === localPart;
}

/** The first problem with `password` for the user with `email`, or null when it is acceptable. */
export function passwordProblem(password: string, email: string): PasswordProblem | null {
  const length = codePointLength(password);
  if (length < PASSWORD_MIN_LENGTH) return "too_short";
  if (length > PASSWORD_MAX_LENGTH) return "too_long";
  const candidate = password.trim().toLowerCase();
  if (COMMON_PASSWORDS.has(candidate)) return "common";
  if (isSameAsEmail(candidate, email)) return "same_as_email";
  return null;
}

/** Throws ValidationError("WEAK_PASSWORD", <human message naming the reason>, [{ field, message }]) on a problem. */
export function assertPasswordPolicy(password: string, email: string, field = "password"): void {
  const problem = passwordProblem(password, email);
  if (problem === null) return;
  const message = MESSAGES[problem];
  throw new ValidationError("WEAK_PASSWORD", message, [{ field, message }]);
}
