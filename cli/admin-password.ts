import { type Config, DEFAULT_ADMIN_PASSWORD } from "../src/config";
import { UsageError } from "./errors";
import type { CliIo } from "./io";

/**
 * The password piped to standard input: one line, its line ending dropped. Unlike an argument it
 * shows in no process list and no shell history.
 */
export async function passwordFromStdin(stdin: CliIo["stdin"]): Promise<string> {
  const password = (await stdin.text()).replace(/\r?\n$/, "");
  if (password === "") throw new UsageError("--password-stdin: standard input holds no password.");
  if (/[\r\n]/.test(password)) {
    throw new UsageError("--password-stdin: standard input must hold one line, the password.");
  }
  return password;
}

export interface SeedPassword {
  value: string;
  /** Made up for this run: the operator sees it once, or never again. */
  generated: boolean;
}

/**
 * The super admin's password: the one given, else ADMIN_PASSWORD, else (in production and on
 * PostgreSQL) one generated for this run, else the documented default of the embedded database.
 * Where the documented default would open a real deployment, it is refused.
 */
export function seedPassword(given: string | undefined, seed: Config["seed"]): SeedPassword {
  if (given === undefined) return { value: seed.adminPassword, generated: seed.adminPasswordGenerated };
  if (given === DEFAULT_ADMIN_PASSWORD && seed.documentedPasswordRefused) {
    throw new UsageError(
      "The documented default password is refused outside the embedded database: give another, or none to have one generated.",
    );
  }
  return { value: given, generated: false };
}
