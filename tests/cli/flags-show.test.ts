import { beforeAll, describe, expect, test } from "bun:test";
import { flagMetricsRepository } from "../../src/adapters/db/repositories/flag-metrics-repository";
import { scopedDatabase } from "../../src/adapters/db/scoped-database";
import { hourOf } from "../../src/core/domain/flags/flag-metrics";
import type { FlagMetricsStore } from "../../src/core/ports/flag-metrics-store";
import { type CliHarness, cliHarness } from "../support/cli";
import { testDatabase } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let cli: CliHarness;
let tenant: { id: string; slug: string };
/** The store as the server runs it: in scoped transactions on the harness's database. */
let metricsStore: FlagMetricsStore;
beforeAll(async () => {
  cli = await cliHarness();
  metricsStore = flagMetricsRepository(scopedDatabase(await testDatabase()));
  const slug = cli.unique("showco");
  tenant = await cli.json(["tenants", "create", "--name", "Show Co", "--slug", slug]);
});

describe("saasctl flags show", () => {
  test("prints the flag and the last day's answers per hour with totals; older hours are left out", async () => {
    const key = cli.unique("shown");
    await cli.json(["flags", "create", key, "--tenant", tenant.slug]);
    const now = hourOf(new Date());
    const hoursAgo = (n: number) => new Date(now.getTime() - n * 3_600_000);
    // Added twice for one hour: the store sums, variant by variant.
    await metricsStore.add([
      { tenantId: tenant.id, flagKey: key, hour: hoursAgo(1), yes: 3, no: 1, variants: { blue: 2 } },
      { tenantId: tenant.id, flagKey: key, hour: now, yes: 5, no: 0, variants: {} },
      { tenantId: tenant.id, flagKey: key, hour: hoursAgo(30), yes: 100, no: 100, variants: {} },
    ]);
    await metricsStore.add([
      { tenantId: tenant.id, flagKey: key, hour: hoursAgo(1), yes: 1, no: 0, variants: { blue: 1, red: 4 } },
    ]);

    const res = await cli.run(["flags", "show", key, "--tenant", tenant.slug]);
    expect(res.code).toBe(0);
    const lines = res.stdout.split("\n");
    expect(lines[0]).toBe(`flag ${key} (tenant): disabled, rollout all, version 1`);
    expect(lines[1]).toBe(`${key}, last 24 hours: yes 9, no 1; variants blue 3, red 4`);
    expect(lines[2]).toMatch(/^HOUR \(UTC\)\s+YES\s+NO\s+VARIANTS$/);
    expect(lines[3]).toMatch(
      new RegExp(`^${hoursAgo(1).toISOString().slice(0, 13)}:00\\s+4\\s+1\\s+blue 3, red 4$`),
    );
    expect(lines[4]).toMatch(new RegExp(`^${now.toISOString().slice(0, 13)}:00\\s+5\\s+0\\s*$`));
    expect(lines.slice(5).filter(Boolean)).toEqual([]);

    const json = await cli.json(["flags", "show", key, "--tenant", tenant.slug]);
    expect(json.flag.key).toBe(key);
    expect(json.metrics.hours.map((h: { yes: number }) => h.yes)).toEqual([4, 5]);

    // Retention deletes the hours before the cutoff, of every flag and tenant.
    const store = metricsStore;
    expect(await store.deleteBefore(hoursAgo(1))).toBeGreaterThanOrEqual(1);
    expect((await store.hoursOf(tenant.id, key, hoursAgo(48))).map((h) => h.yes)).toEqual([4, 5]);
    await store.deleteBefore(now);
    expect((await store.hoursOf(tenant.id, key, hoursAgo(48))).map((h) => h.yes)).toEqual([5]);
  });

  test("a flag with no answers says so; an unknown key fails with FLAG_NOT_FOUND", async () => {
    const key = cli.unique("quiet");
    await cli.json(["flags", "create", key, "--tenant", tenant.slug]);
    const quiet = await cli.run(["flags", "show", key, "--tenant", tenant.slug]);
    expect(quiet.stdout).toContain(`${key}: no answers in the last 24 hours`);
    const missing = await cli.run(["flags", "show", cli.unique("nope"), "--tenant", tenant.slug]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("FLAG_NOT_FOUND");
  });
});
