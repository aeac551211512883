import type { Command } from "commander";
import { migrate } from "../../src/adapters/db/migrate";
import { withApp } from "../context";

export function databaseCommands(program: Command) {
  program
    .command("migrate")
    .description("Apply the database migrations that are not applied yet (idempotent).")
    .addHelpText("after", "\nExample:\n  DATABASE_URL=postgres://localhost/app saasctl migrate")
    .action(async () => {
      await withApp(async ({ database }) => {
        await migrate(database);
        process.stdout.write(`migrations applied (${database.driver})\n`);
      });
    });

  program
    .command("seed")
    .description("Create the platform tenant and its super admin if they do not exist (idempotent).")
    .option("--email <email>", "admin email (default: ADMIN_EMAIL or admin@example.com)")
    .option("--password <password>", "admin password (default: ADMIN_PASSWORD or the documented default)")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nExample:\n  saasctl seed --email ops@example.com --password 'Long-Random-Secret-1'",
    )
    .action(async (options: { email?: string; password?: string; json?: boolean }) => {
      await withApp(
        async ({ config, app }) => {
          const adminEmail = options.email ?? config.seed.adminEmail;
          const adminPassword = options.password ?? config.seed.adminPassword;
          const result = await app.useCases.seedPlatform({ adminEmail, adminPassword });
          if (options.json) {
            process.stdout.write(`${JSON.stringify({ ...result, adminEmail })}\n`);
            return;
          }
          process.stdout.write(
            `platform tenant: ${result.tenantCreated ? "created" : "exists"}\n` +
              `admin ${adminEmail}: ${result.adminCreated ? "created" : "exists (left unchanged)"}\n`,
          );
          if (result.adminCreated && !options.password && config.seed.adminPasswordGenerated) {
            process.stderr.write(`Generated password for ${adminEmail}: ${adminPassword}\n`);
          }
        },
        { migrateFirst: true },
      );
    });
}
