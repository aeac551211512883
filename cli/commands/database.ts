import { type Command, Option } from "commander";
import { migrate } from "../../src/adapters/db/migrate";
import { passwordFromStdin, seedPassword } from "../admin-password";
import type { Cli } from "../context";

export function databaseCommands(program: Command, cli: Cli) {
  const print = (text: string) => cli.io.stdout.write(text);

  program
    .command("migrate")
    .description("Apply the database migrations that are not applied yet (idempotent).")
    .addHelpText("after", "\nExample:\n  DATABASE_URL=postgres://localhost/app saasctl migrate")
    .action(async () => {
      await cli.withApp(async ({ database }) => {
        await migrate(database);
        print(`migrations applied (${database.driver})\n`);
      });
    });

  program
    .command("seed")
    .description("Create the platform tenant and its super admin if they do not exist (idempotent).")
    .option("--email <email>", "admin email (default: ADMIN_EMAIL or admin@example.com)")
    .addOption(
      new Option(
        "--password <password>",
        "admin password; visible in `ps` and shell history, prefer --password-stdin",
      ).conflicts("passwordStdin"),
    )
    .option("--password-stdin", "read the admin password from standard input (one line)")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      [
        "",
        "Without a password: ADMIN_PASSWORD, else in production and on PostgreSQL a generated one,",
        "printed once on stdout when the admin is created, else (embedded database) the documented",
        "default. The documented default is refused in production and on PostgreSQL.",
        "",
        "Example:",
        "  saasctl seed --email ops@example.com",
        "  pass show saas/admin | saasctl seed --email ops@example.com --password-stdin",
      ].join("\n"),
    )
    .action(
      async (options: { email?: string; password?: string; passwordStdin?: boolean; json?: boolean }) => {
        const given = options.passwordStdin ? await passwordFromStdin(cli.io.stdin) : options.password;
        // Checked before the database is opened: a refused password touches nothing.
        const config = cli.config();
        const password = seedPassword(given, config.seed);
        await cli.withApp(
          async ({ app }) => {
            const adminEmail = options.email ?? config.seed.adminEmail;
            const result = await app.useCases.seedPlatform({ adminEmail, adminPassword: password.value });
            const generatedPassword = result.adminCreated && password.generated ? password.value : undefined;
            if (options.json) {
              cli.printJson({ ...result, adminEmail, generatedPassword });
              return;
            }
            print(
              `platform tenant: ${result.tenantCreated ? "created" : "exists"}\n` +
                `admin ${adminEmail}: ${result.adminCreated ? "created" : "exists (left unchanged)"}\n`,
            );
            if (generatedPassword) {
              print(`generated password: ${generatedPassword} (shown this once: store it now)\n`);
            }
          },
          { migrateFirst: true, config },
        );
      },
    );
}
