import { createHash, randomBytes } from "node:crypto";

/** A fresh opaque secret (256 bits, base64url) for the client to hold. */
export function newSecretToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What we store instead of a secret token: its SHA-256, hex encoded. */
export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
