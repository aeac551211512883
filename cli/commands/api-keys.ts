import { type Command, InvalidArgumentError, Option } from "commander";
import { API_KEY_KINDS, type ApiKeyKind } from "../../src/core/domain/api-key";
import { PAGE_LIMIT_MAX, pageRequest } from "../../src/core/domain/pagination";
import { PERMISSIONS, type Permission } from "../../src/core/domain/permissions";
import { integerIn } from "../arguments";
import type { Cli } from "../context";
import { examples } from "../help-text";
import type { OutputOptions } from "../output";
import { inTenant, tenantCommand } from "../tenant-command";
import { apiKeyTable, createdApiKey } from "../views/api-key-views";

type TenantOption = { tenant: string } & OutputOptions;

/** An instant with its zone, as ISO-8601 writes it. */
function instant(raw: string): Date {
  const date = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}T.+(Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError("Expected an ISO-8601 instant, e.g. 2027-01-31T00:00:00Z.");
  }
  return date;
}

export function apiKeysCommands(program: Command, cli: Cli) {
  const keys = program
    .command("api-keys")
    .description(
      "Create, list and revoke a tenant's API keys (sk_ REST, ck_ Unleash client, fk_ Unleash frontend).",
    )
    .addHelpText(
      "after",
      examples(
        "saasctl api-keys create --tenant acme --name ci --permission flags:read --permission flags:write",
        "saasctl api-keys create --tenant acme --name web --kind frontend --origin https://app.acme.test",
        "saasctl api-keys list --tenant acme",
      ),
    );

  tenantCommand(
    keys,
    "create",
    "Create a key and print its secret, the only time it is shown. An operator's key holds at most what " +
      "the tenant's highest role may.",
    "saasctl api-keys create --tenant acme --name ci --permission users:read --expires 2027-01-31T00:00:00Z",
  )
    .requiredOption("--name <name>", "what the key is for")
    .addOption(new Option("--kind <kind>", "the key's kind").choices(API_KEY_KINDS).default("api"))
    .addOption(
      new Option("--permission <permission...>", "a permission of an api key (repeat for more)").choices(
        PERMISSIONS,
      ),
    )
    .option("--expires <instant>", "when the key stops working (ISO-8601; default: never)", instant)
    .option("--origin <origin...>", "a browser origin a frontend key is used from (repeat for more)")
    .action(
      async (
        options: TenantOption & {
          name: string;
          kind: ApiKeyKind;
          permission?: Permission[];
          expires?: Date;
          origin?: string[];
        },
      ) => {
        await inTenant(cli, options.tenant, async (acting, { app }) => {
          const created = await app.useCases.createApiKey(acting, {
            name: options.name,
            kind: options.kind,
            permissions: options.permission ?? [],
            expiresAt: options.expires ?? null,
            allowedOrigins: options.origin,
          });
          cli.emit(options, created, createdApiKey);
        });
      },
    );

  tenantCommand(
    keys,
    "list",
    "List a tenant's live keys, oldest first (never their secrets).",
    "saasctl api-keys list --tenant acme",
  )
    .option("--limit <n>", `at most this many (1-${PAGE_LIMIT_MAX})`, integerIn(1, PAGE_LIMIT_MAX), 50)
    .option("--cursor <cursor>", "continue after a previous page")
    .action(async (options: TenantOption & { limit: number; cursor?: string }) => {
      await inTenant(cli, options.tenant, async (acting, { app }) => {
        const page = await app.useCases.listApiKeys(acting, pageRequest(options.limit, options.cursor));
        cli.emit(options, page, apiKeyTable);
      });
    });

  tenantCommand(
    keys,
    "revoke",
    "Revoke a key: every server refuses it from its next request.",
    "saasctl api-keys revoke --tenant acme 0190f3c2-...",
  )
    .argument("<id>", "the key's id (saasctl api-keys list)")
    .action(async (id: string, options: TenantOption) => {
      await inTenant(cli, options.tenant, async (acting, { app }) => {
        await app.useCases.revokeApiKey(acting, id);
        cli.emit(options, { revoked: id }, () => `API key ${id} revoked\n`);
      });
    });
}
