import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, users } from "../../src/adapters/db/schema";
import { DEFAULT_ADMIN_PASSWORD } from "../../src/config";
import { type CliHarness, cliHarness } from "../support/cli";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

/**
 * Where the documented password would open a real deployment: on PostgreSQL (DATABASE_URL set), and
 * in production on any database. These commands run on the test database whatever DATABASE_URL says.
 */
const ON_POSTGRES = { DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" };
const PRODUCTION = {
  NODE_ENV: "production",
  PUBLIC_URL: "https://api.example.com",
  APP_URL: "https://app.example.com",
  MAIL_DRIVER: "outbox",
};

let cli: CliHarness;
beforeAll(async () => {
  cli = await cliHarness();
});

function admins(email: string) {
  return cli.db.select().from(users).where(eq(users.email, email));
}

function seededEvents(userId: string) {
  return cli.db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, "user.created"),
        eq(auditEvents.actorType, "system"),
        eq(auditEvents.resourceId, userId),
      ),
    );
}

describe("saasctl seed where the documented password is refused", () => {
  test("it is refused however it is given, with one line and exit 2, before the database is opened", async () => {
    const opened = cli.databaseOpens();
    const refusal =
      "saasctl: The documented default password is refused outside the embedded database: give another, or none to have one generated.\n";
    for (const env of [ON_POSTGRES, PRODUCTION]) {
      const asArgument = await cli.run(["seed", "--password", DEFAULT_ADMIN_PASSWORD], { env });
      expect(asArgument).toEqual({ code: 2, stdout: "", stderr: refusal });
      const onStdin = await cli.run(["seed", "--password-stdin"], {
        env,
        stdin: `${DEFAULT_ADMIN_PASSWORD}\n`,
      });
      expect(onStdin).toEqual({ code: 2, stdout: "", stderr: refusal });
    }
    const inTheEnvironment = await cli.run(["seed"], {
      env: { ...ON_POSTGRES, ADMIN_PASSWORD: DEFAULT_ADMIN_PASSWORD },
    });
    expect(inTheEnvironment).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "saasctl: Invalid configuration: ADMIN_PASSWORD must not be the documented default in production or on PostgreSQL (DATABASE_URL).\n",
    });
    expect(cli.databaseOpens()).toBe(opened);
  });
});

describe("saasctl seed in production", () => {
  test("without a password it generates one, prints it once on stdout, and a second run prints none", async () => {
    const email = `${cli.unique("ops")}@example.com`;
    const first = await cli.run(["seed", "--email", email], { env: PRODUCTION });
    expect(first.code).toBe(0);
    const [tenantLine, adminLine, passwordLine, ...rest] = first.stdout.split("\n");
    expect([tenantLine, adminLine, rest]).toEqual([
      "platform tenant: exists",
      `admin ${email}: created`,
      [""],
    ]);
    const generated = /^generated password: (\S+) \(shown this once: store it now\)$/.exec(
      passwordLine ?? "",
    )?.[1];
    expect(generated).toBeDefined();
    expect(generated!.length).toBeGreaterThanOrEqual(20);
    expect(generated).not.toBe(DEFAULT_ADMIN_PASSWORD);
    expect(first.stderr).toBe("");

    const [admin] = await admins(email);
    expect(admin?.role).toBe("super_admin");
    expect(await Bun.password.verify(generated!, admin!.passwordHash!)).toBe(true);
    const events = await seededEvents(admin!.id);
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(generated!);

    const again = await cli.run(["seed", "--email", email], { env: PRODUCTION });
    expect(again).toEqual({
      code: 0,
      stdout: `platform tenant: exists\nadmin ${email}: exists (left unchanged)\n`,
      stderr: "",
    });
    const [unchanged] = await admins(email);
    expect(unchanged!.passwordHash).toBe(admin!.passwordHash);
    expect(await seededEvents(admin!.id)).toHaveLength(1);
  });

  test("--json carries a generated password once, as generatedPassword", async () => {
    const email = `${cli.unique("second")}@example.com`;
    const created = await cli.json(["seed", "--email", email], { env: PRODUCTION });
    expect(created).toEqual({
      tenantCreated: false,
      adminCreated: true,
      adminEmail: email,
      generatedPassword: expect.any(String),
    });
    const [admin] = await admins(email);
    expect(await Bun.password.verify(created.generatedPassword, admin!.passwordHash!)).toBe(true);

    const again = await cli.json(["seed", "--email", email], { env: PRODUCTION });
    expect(again).toEqual({ tenantCreated: false, adminCreated: false, adminEmail: email });
  });

  test("--password-stdin seeds the password read from standard input, prints none, and the policy applies", async () => {
    const email = `${cli.unique("stdin")}@example.com`;
    const weak = await cli.run(["seed", "--email", email, "--password-stdin"], {
      env: PRODUCTION,
      stdin: "short\n",
    });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toStartWith(
      "saasctl: WEAK_PASSWORD: The password must be at least 12 characters long.",
    );
    expect(await admins(email)).toEqual([]);

    const strong = await cli.run(["seed", "--email", email, "--password-stdin"], {
      env: PRODUCTION,
      stdin: "Piped-Admin-Password-7\n",
    });
    expect(strong).toEqual({
      code: 0,
      stdout: `platform tenant: exists\nadmin ${email}: created\n`,
      stderr: "",
    });
    const [admin] = await admins(email);
    expect(await Bun.password.verify("Piped-Admin-Password-7", admin!.passwordHash!)).toBe(true);
  });

  test("--password-stdin refuses empty or several-line input, and --password with it, as usage errors", async () => {
    const empty = await cli.run(["seed", "--password-stdin"], { env: PRODUCTION, stdin: "" });
    expect(empty).toEqual({
      code: 2,
      stdout: "",
      stderr: "saasctl: --password-stdin: standard input holds no password.\n",
    });
    const twoLines = await cli.run(["seed", "--password-stdin"], {
      env: PRODUCTION,
      stdin: "One-Line-Pass-1\nTwo\n",
    });
    expect(twoLines.code).toBe(2);
    expect(twoLines.stderr).toBe(
      "saasctl: --password-stdin: standard input must hold one line, the password.\n",
    );
    const both = await cli.run(["seed", "--password", "Some-Password-123", "--password-stdin"], {
      env: PRODUCTION,
      stdin: "Other-Password-123\n",
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("cannot be used with");
  });
});
