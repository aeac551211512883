import { open, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";

/** The embedded database directory is held by another live process. */
export class EmbeddedDatabaseInUseError extends Error {
  override name = "EmbeddedDatabaseInUseError";
  constructor(
    readonly pid: number,
    readonly holder: string,
  ) {
    super(`it is in use by ${holder} (pid ${pid}); stop it, or set DATABASE_URL to use PostgreSQL`);
  }
}

/** Written into the data directory by the process that has it open. */
export const CLAIM_FILE = "saas-owner.json";

interface Claim {
  pid: number;
  holder: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readClaim(path: string): Promise<Claim | null> {
  try {
    const claim = JSON.parse(await readFile(path, "utf8")) as Partial<Claim>;
    return typeof claim.pid === "number" ? { pid: claim.pid, holder: String(claim.holder) } : null;
  } catch {
    return null; // vanished or half-written: treated as no claim
  }
}

/**
 * Claims an embedded database directory for this process. PGlite itself lets a second process
 * open a directory another one has open (both then write to it), so the claim is ours: a file
 * naming the holder's pid, created exclusively. A claim whose process is gone (killed, crashed) is
 * taken over. Returns the release.
 */
export async function claimDataDir(dataDir: string, holder: string): Promise<() => Promise<void>> {
  const path = join(dataDir, CLAIM_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await open(path, "wx", 0o600);
      await file.writeFile(JSON.stringify({ pid: process.pid, holder } satisfies Claim));
      await file.close();
      return () => unlink(path).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const claim = await readClaim(path);
      if (claim && isAlive(claim.pid)) throw new EmbeddedDatabaseInUseError(claim.pid, claim.holder);
      await unlink(path).catch(() => {});
    }
  }
  throw new Error(`could not claim ${path}`);
}
