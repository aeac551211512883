import { randomBytes } from "node:crypto";

/** How long the secret replaced by a rotation keeps signing alongside the new one. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000;

/** A fresh signing secret as the Standard Webhooks specification writes it: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}
