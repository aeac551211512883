import type { Command } from "commander";
import type { AuditEvent } from "../../src/core/domain/audit";
import { integerIn } from "../arguments";
import { followAudit } from "../audit-follow";
import type { AppContext, Cli } from "../context";
import { EXIT, ExitStatus } from "../errors";
import { example, examples } from "../help-text";
import type { Operator } from "../operator";
import type { OutputOptions } from "../output";
import { eventLine, verificationText } from "../views/audit-views";

type AuditOptions = { tenant?: string } & OutputOptions;
const POLL_MS = 1_000;

/** The tenant whose log is read: the one --tenant names (any status), else the platform's own. */
async function scopeOf(context: AppContext & Operator, ref?: string) {
  if (ref === undefined) return { id: context.acting.home.id, slug: context.acting.home.slug };
  const tenant = await context.app.useCases.manageTenants.find(context.acting, ref);
  return { id: tenant.id, slug: tenant.slug };
}

export function auditCommands(program: Command, cli: Cli) {
  const audit = program
    .command("audit")
    .description("Read and verify the tamper-evident audit log.")
    .addHelpText(
      "after",
      examples("saasctl audit tail --tenant acme -n 20", "saasctl audit verify --tenant acme"),
    );

  audit
    .command("tail")
    .description(
      "Print a tenant's latest audit events, oldest first; --follow keeps printing new ones until interrupted. " +
        "Reading another tenant's log is itself recorded there: one audit.read per command, --follow included.",
    )
    .option("--tenant <tenant>", "the tenant's slug or id (default: the platform tenant)")
    .option("--action <action>", "an action (user.created) or a prefix (auth.*)")
    .option("-n, --lines <n>", "how many events (1-200)", integerIn(1, 200), 20)
    .option("-f, --follow", "keep printing new events as they land (Ctrl-C stops)")
    .option("--json", "print {items} as JSON; with --follow, one event per line (NDJSON)")
    .addHelpText("after", example("saasctl audit tail --tenant acme --action 'auth.*' -n 50 --follow"))
    .action(async (options: AuditOptions & { action?: string; lines: number; follow?: boolean }) => {
      await cli.asOperator(async (context) => {
        const scope = await scopeOf(context, options.tenant);
        const { acting } = context;
        const request = { tenantId: scope.id, action: options.action };
        if (!options.follow) {
          const page = await context.app.useCases.readAuditLog(acting, { ...request, limit: options.lines });
          cli.emit(options, { items: page.items.reverse() }, ({ items }, colour) =>
            items.map((event) => eventLine(event, colour)).join(""),
          );
          return;
        }
        const stop = cli.io.interrupted();
        // One read for the whole command, however long it follows.
        const followed = await context.app.useCases.followAuditLog(acting, request);
        const latest = (await followed.page({ limit: options.lines })).items.reverse();
        const print = (event: AuditEvent) =>
          options.json ? cli.printJson(event) : cli.io.stdout.write(eventLine(event, cli.colour));
        for (const event of latest) print(event);
        await followAudit(
          latest.at(-1)?.seq ?? 0,
          (cursor) => followed.page({ limit: 200, ...(cursor ? { cursor } : {}) }),
          print,
          POLL_MS,
          stop,
        );
      });
    });

  audit
    .command("verify")
    .description("Check a tenant's audit hash chain from its start to its head. Exits 1 when it is broken.")
    .option("--tenant <tenant>", "the tenant's slug or id (default: the platform tenant)")
    .option("--json", "print {tenant, valid, checked, firstInvalid?} as JSON")
    .addHelpText("after", example("saasctl audit verify --tenant acme"))
    .action(async (options: AuditOptions) => {
      const valid = await cli.asOperator(async (context) => {
        const scope = await scopeOf(context, options.tenant);
        const result = await context.app.useCases.verifyAuditChain(context.acting, { tenantId: scope.id });
        cli.emit(options, { tenant: scope.slug, ...result }, (r, colour) =>
          verificationText(scope.slug, r, colour),
        );
        return result.valid;
      });
      if (!valid) throw new ExitStatus(EXIT.refused);
    });
}
