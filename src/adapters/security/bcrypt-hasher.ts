import type { PasswordHasher } from "../../core/ports/password-hasher";

/** bcrypt through Bun.password, which hashes off the main thread. */
export function bcryptHasher(cost: number): PasswordHasher {
  return {
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
