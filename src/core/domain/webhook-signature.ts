import { createHmac } from "node:crypto";

/** The three headers of a Standard Webhooks delivery (https://www.standardwebhooks.com). */
export interface WebhookSignatureHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

const SECRET_PREFIX = "whsec_";

/** The key bytes of a `whsec_<base64>` secret, as the specification's verifiers decode it. */
export function webhookSecretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, "base64");
  if (key.length === 0) throw new Error("A webhook secret has no key bytes");
  return key;
}

/** `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>` for one secret. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac("sha256", webhookSecretKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest("base64");
  return `v1,${mac}`;
}

/**
 * The headers of one attempt. Every secret still signing (the current one, and the previous one for a
 * while after a rotation) adds a signature, space-separated, so receivers holding either verify.
 */
export function webhookHeaders(
  secrets: readonly string[],
  id: string,
  at: Date,
  body: string,
): WebhookSignatureHeaders {
  if (secrets.length === 0) throw new Error("A webhook is signed with at least one secret");
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((secret) => signWebhook(secret, id, timestamp, body)).join(" "),
  };
}
