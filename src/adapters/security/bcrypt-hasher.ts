import { availableParallelism } from "node:os";
import type { PasswordHasher } from "../../core/ports/password-hasher";

/** Runs at most `limit` tasks at once; the others wait their turn in order. */
function limiter(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * bcrypt through Bun.password, which hashes off the main thread. At most one hash per core runs at
 * a time: a burst of logins then queues here instead of crowding the cores that also serve every
 * other request.
 */
export function bcryptHasher(cost: number, concurrency = availableParallelism()): PasswordHasher {
  const current = `$${String(cost).padStart(2, "0")}$`;
  const run = limiter(concurrency);
  return {
    // A bcrypt hash reads $2b$<cost>$<salt and digest>.
    needsRehash: (hash) => !/^\$2[aby]\$/.test(hash) || hash.slice(3, 7) !== current,
    hash: (password) => run(() => Bun.password.hash(password, { algorithm: "bcrypt", cost })),
    async verify(password, hash) {
      try {
        return await run(() => Bun.password.verify(password, hash, "bcrypt"));
      } catch {
        return false; // a malformed stored hash verifies nothing
      }
    },
  };
}
