import type { FlagHourCounts } from "../../src/core/domain/flags/flag-metrics";
import type { FlagMetricsView } from "../../src/core/usecases/flags/read-flag-metrics";
import { type Column, table } from "../output";

const variantsOf = (variants: Record<string, number>) =>
  Object.entries(variants)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");

const COLUMNS: Column<FlagHourCounts>[] = [
  { header: "HOUR (UTC)", value: (h) => `${h.hour.toISOString().slice(0, 13)}:00` },
  { header: "YES", value: (h) => String(h.yes), style: () => "green" },
  { header: "NO", value: (h) => String(h.no) },
  { header: "VARIANTS", value: (h) => variantsOf(h.variants) },
];

/** The last day's counts of a flag: the totals, then one line per hour that had answers. */
export function flagMetricsTable(view: FlagMetricsView, colour: boolean): string {
  if (view.hours.length === 0) return `${view.key}: no answers in the last 24 hours\n`;
  const variants: Record<string, number> = {};
  for (const hour of view.hours) {
    for (const [name, n] of Object.entries(hour.variants)) variants[name] = (variants[name] ?? 0) + n;
  }
  const yes = view.hours.reduce((total, h) => total + h.yes, 0);
  const no = view.hours.reduce((total, h) => total + h.no, 0);
  const variantTotals = Object.keys(variants).length > 0 ? `; variants ${variantsOf(variants)}` : "";
  return `${view.key}, last 24 hours: yes ${yes}, no ${no}${variantTotals}\n${table(view.hours, COLUMNS, colour)}`;
}
