import { isPerson, type Principal } from "../../domain/acting";
import { ForbiddenError } from "../../domain/errors";

export const personOnly = () =>
  new ForbiddenError("PERSON_ONLY", "Only a signed-in person may do this, not an API key.");

/** Refuses an API key: for what only makes sense for a person (their account, sessions, keys). */
export function requirePerson(principal: Principal): void {
  if (!isPerson(principal)) throw personOnly();
}
