import { hkdfSync } from "node:crypto";
import { aesGcmSecretBox } from "../adapters/security/aes-gcm-secret-box";
import type { Config } from "../config";
import type { SecretBox } from "../core/ports/secret-box";

/**
 * Seals webhook signing secrets at rest (they must be read back to sign): AES-256-GCM under a key
 * derived from the same material as MFA secrets, under a label of its own.
 */
export function webhookSecretBox(config: Pick<Config, "auth">): SecretBox {
  const key = hkdfSync(
    "sha256",
    config.auth.mfaKeyMaterial,
    "",
    "saas-backend webhook secret encryption v1",
    32,
  );
  return aesGcmSecretBox(Buffer.from(key));
}
