import type { Command } from "commander";
import { PAGE_LIMIT_MAX, pageRequest } from "../../src/core/domain/pagination";
import { webhookMessageId } from "../../src/core/domain/webhook";
import { integerIn } from "../arguments";
import type { Cli } from "../context";
import { examples } from "../help-text";
import type { OutputOptions } from "../output";
import { inTenant, tenantCommand } from "../tenant-command";
import { webhookAttemptTable, webhookEndpointTable, webhookMessageTable } from "../views/webhook-views";

type TenantOption = { tenant: string } & OutputOptions;
type PageOptions = TenantOption & { limit: number; cursor?: string };

export function webhooksCommands(program: Command, cli: Cli) {
  const webhooks = program
    .command("webhooks")
    .description("Read a tenant's webhook endpoints and what they were sent; resend a message.")
    .addHelpText(
      "after",
      examples(
        "saasctl webhooks list --tenant acme",
        "saasctl webhooks messages --tenant acme 0190f3c2-...",
        "saasctl webhooks retry --tenant acme 0190f3c2-... 0190f3c9-...",
      ),
    );

  tenantCommand(
    webhooks,
    "list",
    "List a tenant's webhook endpoints (never their secrets).",
    "saasctl webhooks list --tenant acme",
  )
    .option("--limit <n>", `at most this many (1-${PAGE_LIMIT_MAX})`, integerIn(1, PAGE_LIMIT_MAX), 50)
    .option("--cursor <cursor>", "continue after a previous page")
    .action(async (options: PageOptions) => {
      await inTenant(cli, options.tenant, async (acting, { app }) => {
        const page = await app.useCases.webhooks.list(acting, pageRequest(options.limit, options.cursor));
        cli.emit(options, page, webhookEndpointTable);
      });
    });

  tenantCommand(
    webhooks,
    "messages",
    "List an endpoint's messages, newest first; with a message id, that message's attempts.",
    "saasctl webhooks messages --tenant acme 0190f3c2-...",
  )
    .argument("<endpoint>", "the endpoint's id (saasctl webhooks list)")
    .argument("[message]", "a message's id: print its attempts")
    .option("--limit <n>", `at most this many (1-${PAGE_LIMIT_MAX})`, integerIn(1, PAGE_LIMIT_MAX), 50)
    .option("--cursor <cursor>", "continue after a previous page")
    .action(async (endpoint: string, message: string | undefined, options: PageOptions) => {
      await inTenant(cli, options.tenant, async (acting, { app }) => {
        const log = app.useCases.webhookMessages;
        if (message !== undefined) {
          cli.emit(options, await log.attempts(acting, endpoint, message), webhookAttemptTable);
          return;
        }
        const page = await log.list(acting, endpoint, pageRequest(options.limit, options.cursor));
        cli.emit(options, page, webhookMessageTable);
      });
    });

  tenantCommand(
    webhooks,
    "retry",
    "Send a message again now, with the same webhook-id (a running server's worker sends it).",
    "saasctl webhooks retry --tenant acme 0190f3c2-... 0190f3c9-...",
  )
    .argument("<endpoint>", "the endpoint's id")
    .argument("<message>", "the message's id (saasctl webhooks messages)")
    .action(async (endpoint: string, message: string, options: TenantOption) => {
      await inTenant(cli, options.tenant, async (acting, { app }) => {
        const resent = await app.useCases.webhookMessages.retry(acting, endpoint, message);
        cli.emit(options, resent, (m) => `Message ${webhookMessageId(m.id)} is due again now\n`);
      });
    });
}
