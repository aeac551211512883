import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq, isNull } from "drizzle-orm";
import { auditEvents, featureFlags } from "../../src/adapters/db/schema";
import { type CliHarness, cliHarness } from "../support/cli";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

// Platform-wide flags are shared by the whole test database: these keys are this file's own.
let cli: CliHarness;
let hooli: string;
let checkout: string;
let beta: string;
beforeAll(async () => {
  cli = await cliHarness();
  hooli = cli.unique("hooli");
  checkout = cli.unique("checkout");
  beta = cli.unique("beta");
  await cli.json(["tenants", "create", "--name", "Hooli", "--slug", hooli]);
});

const FLAG_SHAPE = {
  id: expect.stringMatching(/^[0-9a-f-]{36}$/),
  tenantId: null,
  key: expect.any(String),
  name: expect.any(String),
  description: null,
  type: "boolean",
  enabled: false,
  strategies: [],
  variants: [],
  dependencies: [],
  version: 1,
  createdAt: expect.stringMatching(/Z$/),
  updatedAt: expect.stringMatching(/Z$/),
};

describe("saasctl flags", () => {
  test("create makes a platform-wide flag, or with --tenant the tenant's own; --rollout sets a gradual rollout", async () => {
    expect(await cli.json(["flags", "create", checkout])).toEqual({
      ...FLAG_SHAPE,
      key: checkout,
      name: checkout,
    });
    const own = await cli.run(["flags", "create", beta, "--tenant", hooli, "--rollout", "25"]);
    expect(own).toMatchObject({
      code: 0,
      stdout: `created flag ${beta} (tenant): disabled, rollout 25%, version 1\n`,
    });

    const again = await cli.run(["flags", "create", checkout]);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/^saasctl: FLAG_KEY_TAKEN: /) });
    expect((await cli.run(["flags", "create", "x", "--rollout", "101"])).code).toBe(2);
    const badKey = await cli.run(["flags", "create", "Not A Key"]);
    expect(badKey.code).toBe(1);

    const stored = await cli.db
      .select()
      .from(featureFlags)
      .where(and(eq(featureFlags.key, checkout), isNull(featureFlags.tenantId)));
    expect(stored).toEqual([expect.objectContaining({ enabled: false, version: 1 })]);
    const [tenantFlag] = await cli.db.select().from(featureFlags).where(eq(featureFlags.key, beta));
    expect(tenantFlag).toMatchObject({ tenantId: expect.any(String), enabled: false });
    const created = await cli.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.resourceId, stored[0]!.id), eq(auditEvents.action, "flag.created")));
    expect(created).toEqual([expect.objectContaining({ actorType: "cli", userAgent: "saasctl" })]);
  });

  test("enable, disable, toggle and rollout change the flag of the scope named, and only that one", async () => {
    expect(await cli.run(["flags", "enable", checkout])).toMatchObject({
      code: 0,
      stdout: `flag ${checkout} (platform): enabled, rollout all, version 2\n`,
    });
    expect(await cli.json(["flags", "toggle", beta, "--tenant", hooli])).toMatchObject({
      enabled: true,
      version: 2,
    });
    expect(await cli.json(["flags", "disable", beta, "--tenant", hooli])).toMatchObject({
      enabled: false,
    });
    const rolled = await cli.json(["flags", "rollout", beta, "60", "--tenant", hooli]);
    expect(rolled.strategies).toEqual([
      { name: "flexibleRollout", parameters: { rollout: 60, stickiness: "default" } },
    ]);

    const notOwn = await cli.run(["flags", "disable", checkout, "--tenant", hooli]);
    expect(notOwn.code).toBe(1);
    expect(notOwn.stderr).toStartWith(`saasctl: FLAG_NOT_FOUND: ${hooli} has no flag ${checkout} of its own`);
    const missing = await cli.run(["flags", "enable", cli.unique("nope")]);
    expect(missing).toMatchObject({ code: 1, stderr: "saasctl: FLAG_NOT_FOUND: No such flag.\n" });
    expect((await cli.run(["flags", "rollout", beta, "half", "--tenant", hooli])).code).toBe(2);

    const [platformFlag] = await cli.db
      .select()
      .from(featureFlags)
      .where(and(eq(featureFlags.key, checkout), isNull(featureFlags.tenantId)));
    expect(platformFlag).toMatchObject({ enabled: true, version: 2 });
    const [own] = await cli.db.select().from(featureFlags).where(eq(featureFlags.key, beta));
    expect(own).toMatchObject({ enabled: false, version: 4, strategies: rolled.strategies });
  });

  test("list shows the flags that apply to a tenant; --json gives {items, nextCursor}", async () => {
    // Other tests' platform-wide flags apply to the tenant too: only this file's are looked at.
    const table = await cli.run(["flags", "list", "--tenant", hooli, "--limit", "200"]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^KEY +SCOPE +ENABLED +ROLLOUT +VERSION +UPDATED$/);
    const ours = lines.slice(1).filter((l) => l.startsWith(`${checkout} `) || l.startsWith(`${beta} `));
    expect(ours.map((l) => l.split(/ +/).slice(0, 4))).toEqual([
      [checkout, "platform", "yes", "all"],
      [beta, "tenant", "no", "60%"],
    ]);
    const page = await cli.json(["flags", "list", "--tenant", hooli, "--limit", "1"]);
    expect(page).toEqual({
      items: [expect.objectContaining({ key: expect.any(String) })],
      nextCursor: expect.any(String),
    });
    const platformOnly = await cli.all(["flags", "list"]);
    expect(platformOnly.map((f) => f.key)).toContain(checkout);
    expect(platformOnly.map((f) => f.key)).not.toContain(beta);
    // Without --tenant the operator acts in the platform tenant: platform-wide flags and the platform
    // tenant's own (other test files make some), never another tenant's.
    const hooliId = (await cli.json(["tenants", "show", hooli])).id;
    expect(platformOnly.filter((f) => f.tenantId === hooliId)).toEqual([]);
  });

  test("evaluate answers as the API would, for a user and properties", async () => {
    expect(await cli.run(["flags", "evaluate", checkout, "--tenant", hooli])).toMatchObject({
      code: 0,
      stdout: `${checkout}: on (enabled_for_all)\n`,
    });
    expect(
      await cli.json(["flags", "evaluate", beta, "--tenant", hooli, "--user", "u-1", "--prop", "country=NL"]),
    ).toEqual({
      key: beta,
      enabled: false,
      variant: { name: "disabled", enabled: false },
      reason: "disabled",
    });
    await cli.json(["flags", "enable", beta, "--tenant", hooli]);
    // A 60% rollout, sticky per user: of many users some are in, some are out. The flag key is new
    // each run, so the cohort is too: 40 users make "all in" or "all out" a 1e-9 chance (6 made it 5%).
    const outcomes = new Set<boolean>();
    for (const user of Array.from({ length: 40 }, (_, i) => `user-${i}`)) {
      outcomes.add((await cli.json(["flags", "evaluate", beta, "--tenant", hooli, "--user", user])).enabled);
    }
    expect(outcomes).toEqual(new Set([true, false]));
    expect((await cli.run(["flags", "evaluate", beta])).code).toBe(2); // --tenant is required
    expect((await cli.run(["flags", "evaluate", beta, "--tenant", hooli, "--prop", "novalue"])).code).toBe(2);
  });

  test("--help shows an example on every flags command", async () => {
    for (const command of ["list", "create", "enable", "disable", "toggle", "rollout", "evaluate"]) {
      const help = await cli.run(["flags", command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Example:\n  saasctl flags ${command}`);
    }
  });
});
