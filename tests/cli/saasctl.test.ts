import { beforeAll, describe, expect, test } from "bun:test";
import { isolatedDatabaseEnv } from "../support/resources";
import { saasctl as run } from "../support/saasctl";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let databaseEnv: Record<string, string>;
const saasctl = (args: string[], env: Record<string, string> = {}) => run(args, { ...databaseEnv, ...env });

beforeAll(async () => {
  databaseEnv = await isolatedDatabaseEnv();
});

describe("saasctl", () => {
  test("migrate applies the migrations, and again changes nothing; other commands ask for it first", async () => {
    const unmigrated = await saasctl(["tenants", "list"]);
    expect(unmigrated).toMatchObject({
      code: 1,
      stderr: "saasctl: The database has no schema yet: run `saasctl migrate`, then `saasctl seed`.\n",
    });
    const first = await saasctl(["migrate"]);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toStartWith("migrations applied");
    expect((await saasctl(["migrate"])).code).toBe(0);
    const unseeded = await saasctl(["tenants", "list"]);
    expect(unseeded).toMatchObject({
      code: 1,
      stderr: "saasctl: PLATFORM_NOT_SEEDED: There is no platform tenant yet: run `saasctl seed`.\n",
    });
  });

  test("seed creates the platform tenant and admin once, then leaves them alone", async () => {
    const first = await saasctl([
      "seed",
      "--email",
      "ops@example.com",
      "--password",
      "Ops-Password-123",
      "--json",
    ]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      tenantCreated: true,
      adminCreated: true,
      adminEmail: "ops@example.com",
    });

    const again = await saasctl(["seed", "--email", "ops@example.com", "--password", "Other-Password-123"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("platform tenant: exists\nadmin ops@example.com: exists (left unchanged)\n");
  });

  test("an unreachable database exits 3 with one line saying why", async () => {
    const res = await saasctl(["migrate"], {
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/none",
      DB_CONNECT_TIMEOUT_SECONDS: "2",
    });
    expect(res.code).toBe(3);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toContain("Cannot open the PostgreSQL at DATABASE_URL");
  });

  test("a usage error exits 2; --help exits 0 and shows an example", async () => {
    expect((await saasctl(["no-such-command"])).code).toBe(2);
    const help = await saasctl(["seed", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Example:");
  });

  test("a bad setting exits 2 naming the variable", async () => {
    const res = await saasctl(["migrate"], { BCRYPT_COST: "99" });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("BCRYPT_COST");
  });
});
