import type { FlagRecord } from "../../src/core/domain/flags/flag-record";
import type { Page } from "../../src/core/domain/pagination";
import type { FlagEvaluation } from "../../src/core/usecases/flags/evaluate-flags";
import { rolloutOf } from "../flag-rollout";
import { type Column, table, when } from "../output";

const scope = (flag: FlagRecord) => (flag.tenantId === null ? "platform" : "tenant");

const COLUMNS: Column<FlagRecord>[] = [
  { header: "KEY", value: (f) => f.key },
  { header: "SCOPE", value: scope },
  {
    header: "ENABLED",
    value: (f) => (f.enabled ? "yes" : "no"),
    style: (f) => (f.enabled ? "green" : "dim"),
  },
  { header: "ROLLOUT", value: (f) => rolloutOf(f.strategies) },
  { header: "VERSION", value: (f) => String(f.version) },
  { header: "UPDATED", value: (f) => when(f.updatedAt) },
];

export function flagTable(page: Page<FlagRecord>, colour: boolean): string {
  if (page.items.length === 0) return "no flags\n";
  const more = page.nextCursor ? `more: --cursor ${page.nextCursor}\n` : "";
  return table(page.items, COLUMNS, colour) + more;
}

export function flagLine(flag: FlagRecord): string {
  return `flag ${flag.key} (${scope(flag)}): ${flag.enabled ? "enabled" : "disabled"}, rollout ${rolloutOf(flag.strategies)}, version ${flag.version}\n`;
}

export function evaluationLine(evaluation: FlagEvaluation): string {
  const variant = evaluation.variant.enabled ? `, variant ${evaluation.variant.name}` : "";
  return `${evaluation.key}: ${evaluation.enabled ? "on" : "off"} (${evaluation.reason}${variant})\n`;
}
