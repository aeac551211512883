import type { Command } from "commander";
import type { Acting } from "../src/core/domain/acting";
import type { AppContext, Cli } from "./context";
import { example } from "./help-text";
import type { Operator } from "./operator";
import { activeTenant } from "./tenant-arg";

/** Runs `work` as the operator acting in the active tenant `ref` names (slug or id). */
export function inTenant<T>(
  cli: Cli,
  ref: string,
  work: (acting: Acting, context: AppContext & Operator) => Promise<T>,
) {
  return cli.asOperator(async (context) => {
    const tenant = await activeTenant(context.app.useCases.tenants, ref);
    return work({ ...context.acting, tenant }, context);
  });
}

/** A subcommand of `parent` that acts in the tenant `--tenant` names, with `--json` and an example. */
export function tenantCommand(parent: Command, name: string, description: string, sample: string) {
  return parent
    .command(name)
    .description(description)
    .requiredOption("--tenant <tenant>", "the tenant's slug (or id)")
    .option("--json", "print JSON")
    .addHelpText("after", example(sample));
}
