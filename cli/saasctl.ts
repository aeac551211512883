#!/usr/bin/env bun
import { Command } from "commander";
import { auditCommands } from "./commands/audit";
import { databaseCommands } from "./commands/database";
import { flagsCommands } from "./commands/flags";
import { tenantsCommands } from "./commands/tenants";
import { usersCommands } from "./commands/users";
import { EXIT, failure } from "./errors";

const program = new Command()
  .name("saasctl")
  .description(
    "Operate the SaaS backend straight against its database (DATABASE_URL, else the embedded one).",
  )
  .exitOverride()
  .showHelpAfterError();

databaseCommands(program);
tenantsCommands(program);
usersCommands(program);
flagsCommands(program);
auditCommands(program);

try {
  await program.parseAsync(process.argv);
  process.exit(process.exitCode ?? EXIT.ok);
} catch (error) {
  const { code, line } = failure(error);
  if (line) process.stderr.write(`saasctl: ${line}\n`);
  process.exit(code);
}
