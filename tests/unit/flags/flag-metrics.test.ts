import { describe, expect, test } from "bun:test";
import {
  FLAG_METRICS_LIMITS,
  FLAG_METRICS_RETENTION_HOURS,
  type FlagHourCounts,
} from "../../../src/core/domain/flags/flag-metrics";
import type { FlagSet } from "../../../src/core/usecases/flags/flag-definitions";
import type { FlagEvaluation } from "../../../src/core/usecases/flags/flag-engine";
import { makeFlagMetrics } from "../../../src/core/usecases/flags/flag-metrics";
import { manualClock } from "../../support/clock";

const HOUR = Date.UTC(2026, 11, 3, 10);
const TENANT = "0193a000-0000-7000-8000-000000000001";

function setup() {
  const written: FlagHourCounts[][] = [];
  const purged: Date[] = [];
  let failing = false;
  const store = {
    async add(rows: readonly FlagHourCounts[]) {
      if (failing) throw new Error("database away");
      written.push(rows.map((row) => structuredClone(row)));
    },
    async deleteBefore(hour: Date) {
      purged.push(hour);
      return 0;
    },
  };
  const flags = new Map([
    ["known", { key: "known", enabled: true }],
    ["other", { key: "other", enabled: true }],
  ]);
  const definitions = { forTenant: async () => ({ flags }) as unknown as FlagSet };
  const clock = manualClock(HOUR + 60_000);
  const metrics = makeFlagMetrics({ store, definitions, clock });
  return { metrics, written, purged, clock, fail: (on: boolean) => (failing = on) };
}

const on = { name: "blue", enabled: true };
const off = { name: "disabled", enabled: false };
const answer = (key: string, enabled: boolean, variant: typeof on): FlagEvaluation => ({
  key,
  enabled,
  variant,
  reason: enabled ? "strategy_matched" : "no_strategy_matched",
});

describe("flag metrics", () => {
  test("answers are counted in memory and written as one row per flag and hour on flush; a missing flag is not counted", async () => {
    const { metrics, written } = setup();
    metrics.countAnswers(TENANT, [answer("known", true, on)]);
    metrics.countAnswers(TENANT, [answer("known", true, on)]);
    metrics.countAnswers(TENANT, [answer("known", false, off)]);
    metrics.countAnswers(TENANT, [{ key: "missing", enabled: false, variant: off, reason: "not_found" }]);
    expect(written).toEqual([]);
    expect(await metrics.flush()).toBe(1);
    expect(written).toEqual([
      [{ tenantId: TENANT, flagKey: "known", hour: new Date(HOUR), yes: 2, no: 1, variants: { blue: 2 } }],
    ]);
    expect(await metrics.flush()).toBe(0);
    expect(written).toHaveLength(1);
  });

  test("a new hour starts a new row", async () => {
    const { metrics, written, clock } = setup();
    metrics.countAnswers(TENANT, [answer("known", true, off)]);
    clock.advance(3600);
    metrics.countAnswers(TENANT, [answer("known", false, off)]);
    await metrics.flush();
    expect(written[0]?.map((row) => [row.hour.getTime(), row.yes, row.no])).toEqual([
      [HOUR, 1, 0],
      [HOUR + 3_600_000, 0, 1],
    ]);
  });

  test("an SDK's counts are added for the tenant's flags; unknown names are ignored", async () => {
    const { metrics, written } = setup();
    await metrics.recordSdkCounts(TENANT, {
      known: { yes: 5, no: 2, variants: { blue: 3, green: 2 } },
      invented: { yes: 1_000, no: 1_000 },
    });
    await metrics.flush();
    expect(written).toEqual([
      [
        {
          tenantId: TENANT,
          flagKey: "known",
          hour: new Date(HOUR),
          yes: 5,
          no: 2,
          variants: { blue: 3, green: 2 },
        },
      ],
    ]);
  });

  test("attacker's counts: negative, fractional, huge and non-numeric values add nothing or are capped; variants are bounded", async () => {
    const { metrics, written } = setup();
    const variants: Record<string, number> = {
      ["x".repeat(FLAG_METRICS_LIMITS.maxVariantNameLength + 1)]: 1,
    };
    for (let i = 0; i < FLAG_METRICS_LIMITS.maxVariants + 10; i++) variants[`v${i}`] = 1;
    await metrics.recordSdkCounts(TENANT, {
      known: { yes: -5, no: 1.5, variants: { ...variants, __proto__: 3 } as Record<string, number> },
      other: { yes: Number.MAX_SAFE_INTEGER, no: "7" as unknown as number },
    });
    await metrics.flush();
    const [known, other] = written[0] ?? [];
    expect(known?.yes).toBe(0);
    expect(known?.no).toBe(0);
    expect(Object.keys(known?.variants ?? {})).toHaveLength(FLAG_METRICS_LIMITS.maxVariants);
    expect(Object.getPrototypeOf(known?.variants)).toBe(Object.prototype);
    expect(other).toMatchObject({ yes: FLAG_METRICS_LIMITS.maxCount, no: 0 });
  });

  test("a failed flush keeps the counts for the next one, merged with what came since", async () => {
    const { metrics, written, fail } = setup();
    metrics.countAnswers(TENANT, [answer("known", true, on)]);
    fail(true);
    await expect(metrics.flush()).rejects.toThrow("database away");
    metrics.countAnswers(TENANT, [answer("known", true, on)]);
    fail(false);
    await metrics.flush();
    expect(written).toEqual([
      [{ tenantId: TENANT, flagKey: "known", hour: new Date(HOUR), yes: 2, no: 0, variants: { blue: 2 } }],
    ]);
  });

  test("the first flush of each hour deletes the counts older than the retention, the others do not", async () => {
    const { metrics, purged, clock } = setup();
    await metrics.flush();
    await metrics.flush();
    clock.advance(3600);
    await metrics.flush();
    expect(purged).toEqual([
      new Date(HOUR - (FLAG_METRICS_RETENTION_HOURS - 1) * 3_600_000),
      new Date(HOUR + 3_600_000 - (FLAG_METRICS_RETENTION_HOURS - 1) * 3_600_000),
    ]);
  });
});
