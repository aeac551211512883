import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, users } from "../../src/adapters/db/schema";
import { DEFAULT_ADMIN_PASSWORD } from "../../src/config";
import { isolatedDatabaseEnv } from "../support/resources";
import { readCliDatabase, saasctl } from "../support/saasctl";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const UNREACHABLE_POSTGRES = {
  DATABASE_URL: "postgres://postgres@127.0.0.1:1/none",
  DB_CONNECT_TIMEOUT_SECONDS: "2",
};

/**
 * A database where the documented password would open a real deployment: PostgreSQL when the tests
 * have one, else the embedded database in production mode (the same rule covers both).
 */
async function deploymentEnv(): Promise<Record<string, string>> {
  const env = await isolatedDatabaseEnv();
  if (onPostgres) return env;
  return { ...env, NODE_ENV: "production", JWT_SECRET: "seed-test-secret-that-is-long-enough-0123456789" };
}

function admins(env: Record<string, string>, email: string) {
  return readCliDatabase(env, (db) => db.select().from(users).where(eq(users.email, email)));
}

function seededEvents(env: Record<string, string>) {
  return readCliDatabase(env, (db) =>
    db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "user.created"), eq(auditEvents.actorType, "system"))),
  );
}

let deployment: Record<string, string>;
beforeAll(async () => {
  deployment = await deploymentEnv();
});

describe("saasctl seed on PostgreSQL", () => {
  test("refuses the documented password, however it is given, with one line and exit 2, before connecting", async () => {
    const refusal =
      "saasctl: The documented default password is refused outside the embedded database: give another, or none to have one generated.\n";
    const asArgument = await saasctl(["seed", "--password", DEFAULT_ADMIN_PASSWORD], UNREACHABLE_POSTGRES);
    expect(asArgument).toEqual({ code: 2, stdout: "", stderr: refusal });
    const onStdin = await saasctl(["seed", "--password-stdin"], UNREACHABLE_POSTGRES, {
      stdin: `${DEFAULT_ADMIN_PASSWORD}\n`,
    });
    expect(onStdin).toEqual({ code: 2, stdout: "", stderr: refusal });
    const inTheEnvironment = await saasctl(["seed"], {
      ...UNREACHABLE_POSTGRES,
      ADMIN_PASSWORD: DEFAULT_ADMIN_PASSWORD,
    });
    expect(inTheEnvironment).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "saasctl: Invalid configuration: ADMIN_PASSWORD must not be the documented default in production or on PostgreSQL (DATABASE_URL).\n",
    });
  });
});

describe("saasctl seed on a deployment database", () => {
  test("without a password it generates one, prints it once on stdout, and a second run prints none", async () => {
    const first = await saasctl(["seed", "--email", "ops@example.com"], deployment);
    expect(first.code).toBe(0);
    const [tenantLine, adminLine, passwordLine, ...rest] = first.stdout.split("\n");
    expect([tenantLine, adminLine, rest]).toEqual([
      "platform tenant: created",
      "admin ops@example.com: created",
      [""],
    ]);
    const generated = /^generated password: (\S+) \(shown this once: store it now\)$/.exec(
      passwordLine ?? "",
    )?.[1];
    expect(generated).toBeDefined();
    expect(generated!.length).toBeGreaterThanOrEqual(20);
    expect(generated).not.toBe(DEFAULT_ADMIN_PASSWORD);
    expect(first.stderr).not.toContain(generated!);

    const [admin] = await admins(deployment, "ops@example.com");
    expect(admin?.role).toBe("super_admin");
    expect(await Bun.password.verify(generated!, admin!.passwordHash!)).toBe(true);
    const events = await seededEvents(deployment);
    expect(events.map((e) => e.resourceId)).toContain(admin!.id);
    expect(JSON.stringify(events)).not.toContain(generated!);

    const again = await saasctl(["seed", "--email", "ops@example.com"], deployment);
    expect(again).toEqual({
      code: 0,
      stdout: "platform tenant: exists\nadmin ops@example.com: exists (left unchanged)\n",
      stderr: "",
    });
    const [unchanged] = await admins(deployment, "ops@example.com");
    expect(unchanged!.passwordHash).toBe(admin!.passwordHash);
  });

  test("--json carries a generated password once, as generatedPassword", async () => {
    const first = await saasctl(["seed", "--email", "second@example.com", "--json"], deployment);
    expect(first.code).toBe(0);
    const created = JSON.parse(first.stdout);
    expect(created).toEqual({
      tenantCreated: expect.any(Boolean),
      adminCreated: true,
      adminEmail: "second@example.com",
      generatedPassword: expect.any(String),
    });
    const [admin] = await admins(deployment, "second@example.com");
    expect(await Bun.password.verify(created.generatedPassword, admin!.passwordHash!)).toBe(true);

    const again = await saasctl(["seed", "--email", "second@example.com", "--json"], deployment);
    expect(JSON.parse(again.stdout)).toEqual({
      tenantCreated: false,
      adminCreated: false,
      adminEmail: "second@example.com",
    });
  });

  test("--password-stdin seeds the password read from standard input, prints none, and the policy applies", async () => {
    const weak = await saasctl(["seed", "--email", "stdin@example.com", "--password-stdin"], deployment, {
      stdin: "short\n",
    });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toStartWith(
      "saasctl: WEAK_PASSWORD: The password must be at least 12 characters long.",
    );
    expect(await admins(deployment, "stdin@example.com")).toEqual([]);

    const strong = await saasctl(["seed", "--email", "stdin@example.com", "--password-stdin"], deployment, {
      stdin: "Piped-Admin-Password-7\n",
    });
    expect(strong).toEqual({
      code: 0,
      stdout: "platform tenant: exists\nadmin stdin@example.com: created\n",
      stderr: "",
    });
    const [admin] = await admins(deployment, "stdin@example.com");
    expect(await Bun.password.verify("Piped-Admin-Password-7", admin!.passwordHash!)).toBe(true);
  });

  test("--password-stdin refuses empty or several-line input, and --password with it, as usage errors", async () => {
    const empty = await saasctl(["seed", "--password-stdin"], deployment, { stdin: "" });
    expect(empty).toEqual({
      code: 2,
      stdout: "",
      stderr: "saasctl: --password-stdin: standard input holds no password.\n",
    });
    const twoLines = await saasctl(["seed", "--password-stdin"], deployment, {
      stdin: "One-Line-Pass-1\nTwo\n",
    });
    expect(twoLines.code).toBe(2);
    expect(twoLines.stderr).toBe(
      "saasctl: --password-stdin: standard input must hold one line, the password.\n",
    );
    const both = await saasctl(["seed", "--password", "Some-Password-123", "--password-stdin"], deployment, {
      stdin: "Other-Password-123\n",
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("cannot be used with");
  });
});
