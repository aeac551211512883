import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { SecretBox } from "../../core/ports/secret-box";

const VERSION = "v1";

/**
 * The 256-bit key for MFA secrets: HKDF-SHA256 of MFA_ENCRYPTION_KEY, else of JWT_SECRET under a
 * label of its own, so the signing key is never used as an encryption key itself.
 */
export function mfaEncryptionKey(keyMaterial: string): Buffer {
  return Buffer.from(hkdfSync("sha256", keyMaterial, "", "saas-backend mfa secret encryption v1", 32));
}

/** AES-256-GCM; a sealed value is `v1.<iv>.<ciphertext>.<tag>` (base64url), with a fresh 96-bit IV each time. */
export function aesGcmSecretBox(key: Buffer): SecretBox {
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [VERSION, iv, body, cipher.getAuthTag()]
        .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
        .join(".");
    },
    open(sealed) {
      const [version, iv, body, tag] = sealed.split(".");
      if (version !== VERSION || !iv || body === undefined || !tag) throw new Error("Not a sealed secret.");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
        "utf8",
      );
    },
  };
}
