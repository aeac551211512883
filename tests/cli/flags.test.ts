import { beforeAll, describe, expect, test } from "bun:test";
import { saasctl, saasctlJson, seededCliEnv } from "../support/saasctl";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let env: Record<string, string>;
beforeAll(async () => {
  env = await seededCliEnv();
  await saasctlJson(["tenants", "create", "--name", "Hooli", "--slug", "hooli"], env);
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
    expect(await saasctlJson(["flags", "create", "checkout"], env)).toEqual({
      ...FLAG_SHAPE,
      key: "checkout",
      name: "checkout",
    });
    const own = await saasctl(["flags", "create", "beta", "--tenant", "hooli", "--rollout", "25"], env);
    expect(own).toMatchObject({
      code: 0,
      stdout: "created flag beta (tenant): disabled, rollout 25%, version 1\n",
    });

    const again = await saasctl(["flags", "create", "checkout"], env);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/^saasctl: FLAG_KEY_TAKEN: /) });
    expect((await saasctl(["flags", "create", "x", "--rollout", "101"], env)).code).toBe(2);
    const badKey = await saasctl(["flags", "create", "Not A Key"], env);
    expect(badKey.code).toBe(1);
  });

  test("enable, disable, toggle and rollout change the flag of the scope named, and only that one", async () => {
    expect(await saasctl(["flags", "enable", "checkout"], env)).toMatchObject({
      code: 0,
      stdout: "flag checkout (platform): enabled, rollout all, version 2\n",
    });
    expect(await saasctlJson(["flags", "toggle", "beta", "--tenant", "hooli"], env)).toMatchObject({
      enabled: true,
      version: 2,
    });
    expect(await saasctlJson(["flags", "disable", "beta", "--tenant", "hooli"], env)).toMatchObject({
      enabled: false,
    });
    const rolled = await saasctlJson(["flags", "rollout", "beta", "60", "--tenant", "hooli"], env);
    expect(rolled.strategies).toEqual([
      { name: "flexibleRollout", parameters: { rollout: 60, stickiness: "default" } },
    ]);

    const notOwn = await saasctl(["flags", "disable", "checkout", "--tenant", "hooli"], env);
    expect(notOwn.code).toBe(1);
    expect(notOwn.stderr).toStartWith("saasctl: FLAG_NOT_FOUND: hooli has no flag checkout of its own");
    const missing = await saasctl(["flags", "enable", "nope"], env);
    expect(missing).toMatchObject({ code: 1, stderr: "saasctl: FLAG_NOT_FOUND: No such flag.\n" });
    expect((await saasctl(["flags", "rollout", "beta", "half", "--tenant", "hooli"], env)).code).toBe(2);
  });

  test("list shows the flags that apply to a tenant; --json gives {items, nextCursor}", async () => {
    const table = await saasctl(["flags", "list", "--tenant", "hooli"], env);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^KEY +SCOPE +ENABLED +ROLLOUT +VERSION +UPDATED$/);
    expect(lines.slice(1).map((l) => l.split(/ +/).slice(0, 4))).toEqual([
      ["checkout", "platform", "yes", "all"],
      ["beta", "tenant", "no", "60%"],
    ]);
    const platformOnly = await saasctlJson(["flags", "list"], env);
    expect(platformOnly.items.map((f: { key: string }) => f.key)).toEqual(["checkout"]);
    expect(platformOnly.nextCursor).toBeNull();
  });

  test("evaluate answers as the API would, for a user and properties", async () => {
    expect(await saasctl(["flags", "evaluate", "checkout", "--tenant", "hooli"], env)).toMatchObject({
      code: 0,
      stdout: "checkout: on (enabled_for_all)\n",
    });
    expect(
      await saasctlJson(
        ["flags", "evaluate", "beta", "--tenant", "hooli", "--user", "u-1", "--prop", "country=NL"],
        env,
      ),
    ).toEqual({
      key: "beta",
      enabled: false,
      variant: { name: "disabled", enabled: false },
      reason: "disabled",
    });
    await saasctlJson(["flags", "enable", "beta", "--tenant", "hooli"], env);
    // A 60% rollout, sticky per user: of many users some are in, some are out.
    const outcomes = new Set<boolean>();
    for (const user of ["a", "b", "c", "d", "e", "f"]) {
      outcomes.add(
        (await saasctlJson(["flags", "evaluate", "beta", "--tenant", "hooli", "--user", user], env)).enabled,
      );
    }
    expect(outcomes).toEqual(new Set([true, false]));
    expect((await saasctl(["flags", "evaluate", "beta"], env)).code).toBe(2); // --tenant is required
    expect(
      (await saasctl(["flags", "evaluate", "beta", "--tenant", "hooli", "--prop", "novalue"], env)).code,
    ).toBe(2);
  });

  test("--help shows an example on every flags command", async () => {
    for (const command of ["list", "create", "enable", "disable", "toggle", "rollout", "evaluate"]) {
      const help = await saasctl(["flags", command, "--help"], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Example:\n  saasctl flags ${command}`);
    }
  });
});
