import { Command } from "commander";
import { version } from "../package.json";
import { apiKeysCommands } from "./commands/api-keys";
import { auditCommands } from "./commands/audit";
import { databaseCommands } from "./commands/database";
import { flagsCommands } from "./commands/flags";
import { tenantsCommands } from "./commands/tenants";
import { usersCommands } from "./commands/users";
import { webhooksCommands } from "./commands/webhooks";
import { type CliRuntime, cliContext } from "./context";
import { EXIT, failure } from "./errors";
import { examples } from "./help-text";
import { colourEnabled } from "./output";

/**
 * The saasctl program on `runtime`'s terminal, configuration and database. Commander writes its
 * help and usage errors there too, and throws instead of exiting: the caller decides the exit.
 */
export function buildProgram(runtime: CliRuntime): Command {
  const { io } = runtime;
  const program = new Command()
    .name("saasctl")
    .description(
      "Operate the SaaS backend straight against its database (DATABASE_URL, else the embedded one).",
    )
    // Set before the commands are added: each copies its parent's settings when created.
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
      getOutHasColors: () => colourEnabled(io.stdout, io.env),
      getErrHasColors: () => colourEnabled(io.stderr, io.env),
    })
    .version(version, "-V, --version", "print the saasctl version")
    .addHelpText(
      "after",
      examples(
        "DATABASE_URL=postgres://localhost/app saasctl migrate",
        "saasctl seed --password-stdin < admin-password.txt",
        "saasctl tenants list",
        "saasctl users --help",
      ),
    )
    .exitOverride()
    .showHelpAfterError();

  const cli = cliContext(runtime);
  databaseCommands(program, cli);
  tenantsCommands(program, cli);
  usersCommands(program, cli);
  flagsCommands(program, cli);
  auditCommands(program, cli);
  apiKeysCommands(program, cli);
  webhooksCommands(program, cli);
  return program;
}

/** Runs saasctl with `args` (without the executable and script) and gives its exit code. */
export async function runSaasctl(args: readonly string[], runtime: CliRuntime): Promise<number> {
  try {
    await buildProgram(runtime).parseAsync([...args], { from: "user" });
    return EXIT.ok;
  } catch (error) {
    const { code, line } = failure(error);
    if (line) runtime.io.stderr.write(`saasctl: ${line}\n`);
    return code;
  }
}
