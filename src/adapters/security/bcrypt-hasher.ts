import type { PasswordHasher } from "../../core/ports/password-hasher";

/** bcrypt through Bun.password, which hashes off the main thread. */
export function bcryptHasher(cost: number): PasswordHasher {
  const current = `$${String(cost).padStart(2, "0")}$`;
  return {
    // A bcrypt hash reads $2b$<cost>$<salt and digest>.
    needsRehash: (hash) => !/^\$2[aby]\$/.test(hash) || hash.slice(3, 7) !== current,
    hash: (password) => Bun.password.hash(password, { algorithm: "bcrypt", cost }),
    async verify(password, hash) {
      try {
        return await Bun.password.verify(password, hash, "bcrypt");
      } catch {
        return false; // a malformed stored hash verifies nothing
      }
    },
  };
}
