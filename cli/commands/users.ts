import { Argument, type Command, Option } from "commander";
import { PAGE_LIMIT_MAX, pageRequest } from "../../src/core/domain/pagination";
import { ROLES, type Role } from "../../src/core/domain/roles";
import { integerIn } from "../arguments";
import type { Cli } from "../context";
import { examples } from "../help-text";
import type { OutputOptions } from "../output";
import { inTenant, tenantCommand } from "../tenant-command";
import { userTable } from "../views/user-views";

type TenantOption = { tenant: string } & OutputOptions;

const roleOption = (flags: string, description: string) => new Option(flags, description).choices(ROLES);

export function usersCommands(program: Command, cli: Cli) {
  const users = program
    .command("users")
    .description("Manage the users of a tenant.")
    .addHelpText(
      "after",
      examples(
        "saasctl users list --tenant acme --role admin",
        "saasctl users create --tenant acme --email ada@acme.test --role admin --invite",
      ),
    );

  tenantCommand(
    users,
    "list",
    "List a tenant's users, oldest first.",
    "saasctl users list --tenant acme --role admin",
  )
    .addOption(roleOption("--role <role>", "only users with this role"))
    .option("--limit <n>", `at most this many (1-${PAGE_LIMIT_MAX})`, integerIn(1, PAGE_LIMIT_MAX), 50)
    .option("--cursor <cursor>", "continue after a previous page")
    .action(async (options: TenantOption & { role?: Role; limit: number; cursor?: string }) => {
      await inTenant(cli, options.tenant, async (acting, { app }) => {
        const page = await app.useCases.manageUsers.list(acting, {
          filter: { role: options.role },
          page: pageRequest(options.limit, options.cursor),
        });
        cli.emit(options, page, userTable);
      });
    });

  const create = tenantCommand(
    users,
    "create",
    "Create a user: with --password (a verification link is mailed) or --invite (an invitation is mailed).",
    "saasctl users create --tenant acme --email ann@acme.test --role admin --invite",
  )
    .requiredOption("--email <email>", "the user's address")
    .addOption(roleOption("--role <role>", "role (default: member)"))
    .addOption(new Option("--password <password>", "the password (policy applied)").conflicts("invite"))
    .option("--invite", "mail an invitation to choose a password");
  create.action(
    async (options: TenantOption & { email: string; role?: Role; password?: string; invite?: boolean }) => {
      if (options.password === undefined && !options.invite) {
        create.error("error: pass --password <password> or --invite", { exitCode: 2 });
      }
      await inTenant(cli, options.tenant, async (acting, { app }) => {
        const user = await app.useCases.manageUsers.create(acting, {
          email: options.email,
          role: options.role,
          password: options.password,
        });
        cli.emit(options, user, (u) =>
          options.invite
            ? `user ${u.email} created in ${acting.tenant.slug} (${u.role}); invitation sent\n`
            : `user ${u.email} created in ${acting.tenant.slug} (${u.role}); verification link sent\n`,
        );
      });
    },
  );

  tenantCommand(
    users,
    "set-role",
    "Change a user's role (only below your own; never super_admin outside the platform). Their sessions end.",
    "saasctl users set-role --tenant acme ann@acme.test admin",
  )
    .argument("<email>", "the user's address")
    .addArgument(new Argument("<role>", "the new role").choices(ROLES))
    .action(async (email: string, role: Role, options: TenantOption) => {
      await inTenant(cli, options.tenant, async (acting, { app }) => {
        const manage = app.useCases.manageUsers;
        const target = await manage.getByEmail(acting, email);
        const user = await manage.update(acting, { id: target.id, patch: { role } });
        cli.emit(options, user, (u) => `user ${u.email} is now ${u.role}\n`);
      });
    });

  for (const [name, isActive] of [
    ["deactivate", false],
    ["activate", true],
  ] as const) {
    tenantCommand(
      users,
      name,
      isActive
        ? "Let a deactivated user sign in again."
        : "Stop a user signing in; their sessions end at once.",
      `saasctl users ${name} --tenant acme ann@acme.test`,
    )
      .argument("<email>", "the user's address")
      .action(async (email: string, options: TenantOption) => {
        await inTenant(cli, options.tenant, async (acting, { app }) => {
          const manage = app.useCases.manageUsers;
          const target = await manage.getByEmail(acting, email);
          const user = await manage.update(acting, { id: target.id, patch: { isActive } });
          cli.emit(options, user, (u) => `user ${u.email} ${isActive ? "activated" : "deactivated"}\n`);
        });
      });
  }

  tenantCommand(
    users,
    "revoke-sessions",
    "End every live session of a user: their tokens stop working at once.",
    "saasctl users revoke-sessions --tenant acme ann@acme.test",
  )
    .argument("<email>", "the user's address")
    .action(async (email: string, options: TenantOption) => {
      await inTenant(cli, options.tenant, async (acting, { app }) => {
        const target = await app.useCases.manageUsers.getByEmail(acting, email);
        const revoked = await app.useCases.sessions.revokeAll(acting, target.id);
        cli.emit(
          options,
          { revoked },
          () => `${revoked} session${revoked === 1 ? "" : "s"} of ${target.email} ended\n`,
        );
      });
    });

  tenantCommand(
    users,
    "mfa-reset",
    "Remove a user's two-factor sign-in (a lost phone): their sessions end and they are told by email.",
    "saasctl users mfa-reset --tenant acme ann@acme.test",
  )
    .argument("<email>", "the user's address")
    .action(async (email: string, options: TenantOption) => {
      await inTenant(cli, options.tenant, async (acting, { app }) => {
        const target = await app.useCases.manageUsers.getByEmail(acting, email);
        const { sessionsEnded } = await app.useCases.resetMfa(acting, target.id);
        cli.emit(
          options,
          { sessionsEnded },
          () => `two-factor sign-in of ${target.email} reset; ${sessionsEnded} session(s) ended\n`,
        );
      });
    });
}
