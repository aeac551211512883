#!/usr/bin/env bun
import { Command, CommanderError } from "commander";
import { DatabaseUnavailableError } from "../src/composition";
import { ConfigError } from "../src/config";
import { DomainError } from "../src/core/domain/errors";
import { databaseCommands } from "./commands/database";

/** Exit codes: 0 success, 1 a refused operation, 2 usage error, 3 cannot reach the database. */
export const EXIT = { ok: 0, refused: 1, usage: 2, database: 3 } as const;

const program = new Command()
  .name("saasctl")
  .description(
    "Operate the SaaS backend straight against its database (DATABASE_URL, else the embedded one).",
  )
  .exitOverride()
  .showHelpAfterError();

databaseCommands(program);

try {
  await program.parseAsync(process.argv);
  process.exit(EXIT.ok);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  if (error instanceof DatabaseUnavailableError) {
    process.stderr.write(`saasctl: ${error.message}\n`);
    process.exit(EXIT.database);
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`saasctl: ${error.message}\n`);
    process.exit(EXIT.usage);
  }
  if (error instanceof DomainError) {
    process.stderr.write(`saasctl: ${error.code}: ${error.message}\n`);
    process.exit(EXIT.refused);
  }
  process.stderr.write(`saasctl: unexpected error: ${(error as Error).message?.split("\n")[0] ?? error}\n`);
  process.exit(EXIT.refused);
}
