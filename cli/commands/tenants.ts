import { type Command, Option } from "commander";
import { PAGE_LIMIT_MAX, pageRequest } from "../../src/core/domain/pagination";
import { TENANT_STATUSES, type TenantAction, type TenantStatus } from "../../src/core/domain/tenant";
import { integerIn } from "../arguments";
import { confirmOrRefuse } from "../confirm";
import type { Cli } from "../context";
import { example, examples } from "../help-text";
import type { OutputOptions } from "../output";
import { tenantDetails, tenantTable } from "../views/tenant-views";

const PAST: Record<TenantAction, string> = {
  suspend: "suspended",
  activate: "activated",
  cancel: "cancelled",
};

export function tenantsCommands(program: Command, cli: Cli) {
  const tenants = program
    .command("tenants")
    .description("List, create and change the status of tenants.")
    .addHelpText(
      "after",
      examples(
        "saasctl tenants list --status active",
        'saasctl tenants create --name "Acme Inc" --slug acme --plan pro',
        "saasctl tenants suspend acme",
      ),
    );

  tenants
    .command("list")
    .description("List tenants, oldest first.")
    .addOption(new Option("--status <status>", "only tenants in this status").choices(TENANT_STATUSES))
    .option("--limit <n>", `at most this many (1-${PAGE_LIMIT_MAX})`, integerIn(1, PAGE_LIMIT_MAX), 50)
    .option("--cursor <cursor>", "continue after a previous page")
    .option("--json", "print {items, nextCursor} as JSON")
    .addHelpText("after", example("saasctl tenants list --status suspended --limit 20"))
    .action(async (options: OutputOptions & { status?: TenantStatus; limit: number; cursor?: string }) => {
      await cli.asOperator(async ({ app, acting }) => {
        const page = await app.useCases.manageTenants.list(acting, {
          filter: { status: options.status },
          page: pageRequest(options.limit, options.cursor),
        });
        cli.emit(options, page, tenantTable);
      });
    });

  tenants
    .command("show")
    .description("Show one tenant.")
    .argument("<tenant>", "id or slug")
    .option("--json", "print the tenant as JSON")
    .addHelpText("after", example("saasctl tenants show acme"))
    .action(async (ref: string, options: OutputOptions) => {
      await cli.asOperator(async ({ app, acting }) => {
        cli.emit(options, await app.useCases.manageTenants.find(acting, ref), tenantDetails);
      });
    });

  tenants
    .command("create")
    .description("Create a tenant.")
    .requiredOption("--name <name>", "display name")
    .requiredOption("--slug <slug>", "lowercase DNS label, unique")
    .option("--plan <plan>", "plan (default: free)")
    .option("--json", "print the tenant as JSON")
    .addHelpText("after", example('saasctl tenants create --name "Acme Inc" --slug acme --plan pro'))
    .action(async (options: OutputOptions & { name: string; slug: string; plan?: string }) => {
      await cli.asOperator(async ({ app, acting }) => {
        const tenant = await app.useCases.manageTenants.create(acting, {
          name: options.name,
          slug: options.slug,
          plan: options.plan,
        });
        cli.emit(options, tenant, (t, colour) => `tenant ${t.slug} created\n${tenantDetails(t, colour)}`);
      });
    });

  for (const action of ["suspend", "activate", "cancel"] as const) {
    const command = tenants
      .command(action)
      .description(
        {
          suspend: "Suspend a tenant: its users are refused at once, on every server.",
          activate: "Activate a suspended tenant again.",
          cancel: "Cancel a tenant: final, and every session of its users ends.",
        }[action],
      )
      .argument("<tenant>", "id or slug")
      .option("--reason <text>", "why, recorded in the audit log")
      .option("--json", "print the tenant as JSON")
      .addHelpText(
        "after",
        example(`saasctl tenants ${action} acme --reason "..."${action === "cancel" ? " --yes" : ""}`),
      );
    if (action === "cancel") command.option("-y, --yes", "do not ask for confirmation");
    command.action(async (ref: string, options: OutputOptions & { reason?: string; yes?: boolean }) => {
      await cli.asOperator(async ({ app, acting }) => {
        const manage = app.useCases.manageTenants;
        const current = await manage.find(acting, ref);
        if (action === "cancel" && !options.yes) {
          await confirmOrRefuse(
            command,
            cli.io,
            `Cancel tenant ${current.slug} (${current.name})? This is final and ends every session.`,
          );
        }
        const tenant = await manage.changeStatus(acting, { id: current.id, action, reason: options.reason });
        cli.emit(options, tenant, (t) => `tenant ${t.slug} ${PAST[action]}\n`);
      });
    });
  }
}
