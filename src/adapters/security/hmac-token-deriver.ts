import { createHmac } from "node:crypto";
import type { TokenDeriver } from "../../core/ports/token-deriver";

/**
 * HMAC-SHA256 under a key of its own, derived from the application secret with a fixed label, so
 * it never equals the key that signs access tokens. Output: 256 bits, base64url.
 */
export function hmacTokenDeriver(applicationSecret: string): TokenDeriver {
  const key = createHmac("sha256", applicationSecret).update("refresh-token-rotation/v1").digest();
  return { derive: (secret) => createHmac("sha256", key).update(secret).digest("base64url") };
}
