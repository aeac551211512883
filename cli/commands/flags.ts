import { type Command, InvalidArgumentError } from "commander";
import type { Acting } from "../../src/core/domain/acting";
import { NotFoundError } from "../../src/core/domain/errors";
import type { FlagRecord } from "../../src/core/domain/flags/flag-record";
import { rolloutStrategy } from "../../src/core/domain/flags/rollout";
import { PAGE_LIMIT_MAX, pageRequest } from "../../src/core/domain/pagination";
import { integerIn } from "../arguments";
import type { AppContext, Cli } from "../context";
import { example, examples } from "../help-text";
import type { Operator } from "../operator";
import type { OutputOptions } from "../output";
import { activeTenant } from "../tenant-arg";
import { flagMetricsTable } from "../views/flag-metrics-views";
import { evaluationLine, flagLine, flagTable } from "../views/flag-views";

type ScopeOptions = { tenant?: string } & OutputOptions;
const percent = integerIn(0, 100);

/** Runs `work` on the flags of the tenant `--tenant` names, else on the platform-wide ones. */
function inScope<T>(
  cli: Cli,
  tenant: string | undefined,
  work: (acting: Acting, context: AppContext & Operator) => Promise<T>,
) {
  return cli.asOperator(async (context) => {
    const target = tenant ? await activeTenant(context.app.useCases.tenants, tenant) : context.acting.home;
    return work({ ...context.acting, tenant: target }, context);
  });
}

/** The flag `key` of exactly this scope: with --tenant the tenant's own, never the platform-wide one. */
async function flagOf(
  app: AppContext["app"],
  acting: Acting,
  key: string,
  tenant: string | undefined,
): Promise<FlagRecord> {
  const flag = await app.useCases.manageFlags.getByKey(acting, { key, platform: tenant === undefined });
  if (tenant !== undefined && flag.tenantId !== acting.tenant.id) {
    throw new NotFoundError(
      "FLAG_NOT_FOUND",
      `${acting.tenant.slug} has no flag ${key} of its own; the platform-wide one is changed without --tenant.`,
    );
  }
  return flag;
}

function property(raw: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = raw.indexOf("=");
  if (at < 1) throw new InvalidArgumentError("Expected key=value.");
  return { ...previous, [raw.slice(0, at)]: raw.slice(at + 1) };
}

export function flagsCommands(program: Command, cli: Cli) {
  const flags = program
    .command("flags")
    .description("Feature flags: platform-wide (default) or of one tenant (--tenant).")
    .addHelpText(
      "after",
      examples(
        "saasctl flags list --tenant acme",
        "saasctl flags create new-checkout --tenant acme --rollout 10",
        "saasctl flags enable new-checkout --tenant acme",
      ),
    );

  flags
    .command("list")
    .description("List the flags that apply: platform-wide ones, and with --tenant the tenant's own.")
    .option("--tenant <tenant>", "the tenant's slug (or id)")
    .option("--limit <n>", `at most this many (1-${PAGE_LIMIT_MAX})`, integerIn(1, PAGE_LIMIT_MAX), 50)
    .option("--cursor <cursor>", "continue after a previous page")
    .option("--json", "print {items, nextCursor} as JSON")
    .addHelpText("after", example("saasctl flags list --tenant acme"))
    .action(async (options: ScopeOptions & { limit: number; cursor?: string }) => {
      await inScope(cli, options.tenant, async (acting, { app }) => {
        cli.emit(
          options,
          await app.useCases.manageFlags.list(acting, pageRequest(options.limit, options.cursor)),
          flagTable,
        );
      });
    });

  flags
    .command("create")
    .description("Create a flag, disabled; with --rollout, rolled out to that share of users once enabled.")
    .argument("<key>", "the flag's key")
    .option("--tenant <tenant>", "the tenant's slug (or id); default: a platform-wide flag")
    .option("--rollout <percent>", "gradual rollout, 0-100 (sticky per user)", percent)
    .option("--json", "print the flag as JSON")
    .addHelpText("after", example("saasctl flags create new-checkout --tenant acme --rollout 10"))
    .action(async (key: string, options: ScopeOptions & { rollout?: number }) => {
      await inScope(cli, options.tenant, async (acting, { app }) => {
        const flag = await app.useCases.manageFlags.create(acting, {
          key,
          platform: options.tenant === undefined,
          strategies: options.rollout === undefined ? [] : [rolloutStrategy(options.rollout)],
        });
        cli.emit(options, flag, (f) => `created ${flagLine(f)}`);
      });
    });

  for (const action of ["enable", "disable", "toggle"] as const) {
    flags
      .command(action)
      .description(`${action[0]!.toUpperCase()}${action.slice(1)} a flag.`)
      .argument("<key>", "the flag's key")
      .option("--tenant <tenant>", "the tenant's slug (or id); default: the platform-wide flag")
      .option("--json", "print the flag as JSON")
      .addHelpText("after", example(`saasctl flags ${action} new-checkout --tenant acme`))
      .action(async (key: string, options: ScopeOptions) => {
        await inScope(cli, options.tenant, async (acting, { app }) => {
          const flag = await flagOf(app, acting, key, options.tenant);
          const manage = app.useCases.manageFlags;
          const updated =
            action === "toggle"
              ? await manage.toggle(acting, flag.id)
              : await manage.update(acting, { id: flag.id, patch: { enabled: action === "enable" } });
          cli.emit(options, updated, flagLine);
        });
      });
  }

  flags
    .command("rollout")
    .description("Set a flag's gradual rollout percentage (its flexibleRollout strategy; added if missing).")
    .argument("<key>", "the flag's key")
    .argument("<percent>", "0-100", percent)
    .option("--tenant <tenant>", "the tenant's slug (or id); default: the platform-wide flag")
    .option("--json", "print the flag as JSON")
    .addHelpText("after", example("saasctl flags rollout new-checkout 50 --tenant acme"))
    .action(async (key: string, share: number, options: ScopeOptions) => {
      await inScope(cli, options.tenant, async (acting, { app }) => {
        const flag = await flagOf(app, acting, key, options.tenant);
        cli.emit(
          options,
          await app.useCases.manageFlags.setRollout(acting, { id: flag.id, percent: share }),
          flagLine,
        );
      });
    });

  flags
    .command("show")
    .description("A flag and how often it answered yes, no and each variant in the last 24 hours, per hour.")
    .argument("<key>", "the flag's key")
    .option("--tenant <tenant>", "the tenant's slug (or id): its answers; default: the platform tenant's")
    .option("--json", "print {flag, metrics} as JSON")
    .addHelpText("after", example("saasctl flags show new-checkout --tenant acme"))
    .action(async (key: string, options: ScopeOptions) => {
      await inScope(cli, options.tenant, async (acting, { app }) => {
        const flag = await app.useCases.manageFlags.getByKey(acting, { key });
        const metrics = await app.useCases.readFlagMetrics.byKey(acting, key, 24);
        cli.emit(
          options,
          { flag, metrics },
          (shown, colour) => flagLine(shown.flag) + flagMetricsTable(shown.metrics, colour),
        );
      });
    });

  flags
    .command("evaluate")
    .description("Evaluate a flag for a tenant, as the API would for a user with these properties.")
    .argument("<key>", "the flag's key")
    .requiredOption("--tenant <tenant>", "the tenant's slug (or id)")
    .option("--user <id>", "the user id in the context (default: your OS user name)")
    .option("--prop <key=value>", "a context property; repeatable", property)
    .option("--json", "print the evaluation as JSON")
    .addHelpText(
      "after",
      example("saasctl flags evaluate new-checkout --tenant acme --user 42 --prop country=NL"),
    )
    .action(async (key: string, options: ScopeOptions & { user?: string; prop?: Record<string, string> }) => {
      await inScope(cli, options.tenant, async (acting, { app }) => {
        const context = {
          ...(options.user ? { userId: options.user } : {}),
          ...(options.prop ? { properties: options.prop } : {}),
        };
        const [evaluation] = await app.useCases.evaluateFlags(acting, { key, context });
        cli.emit(options, evaluation!, evaluationLine);
      });
    });
}
