import { beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq, isNull } from "drizzle-orm";
import { auditEvents, oneTimeTokens, users } from "../../src/adapters/db/schema";
import { type CliHarness, cliHarness, OS_USER } from "../support/cli";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let cli: CliHarness;
let initech: string;
let tenantId: string;
beforeAll(async () => {
  cli = await cliHarness();
  initech = cli.unique("initech");
  tenantId = (await cli.json(["tenants", "create", "--name", "Initech", "--slug", initech])).id;
});

const PASSWORD = "Initech-Password-42";
const outbox = async () =>
  (await Bun.file(cli.outboxPath).text())
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { to: string; subject: string });

describe("saasctl users", () => {
  test("create with --password mails a verification link; with --invite an invitation; --json has no secrets", async () => {
    const human = await cli.run([
      "users",
      "create",
      "--tenant",
      initech,
      "--email",
      "Peter@Initech.test",
      "--role",
      "admin",
      "--password",
      PASSWORD,
    ]);
    expect(human).toMatchObject({ code: 0, stderr: "" });
    expect(human.stdout).toBe(
      `user peter@initech.test created in ${initech} (admin); verification link sent\n`,
    );

    const invited = await cli.json([
      "users",
      "create",
      "--tenant",
      initech,
      "--email",
      "milton@initech.test",
      "--invite",
    ]);
    expect(invited).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tenantId,
      email: "milton@initech.test",
      firstName: null,
      lastName: null,
      role: "member",
      isActive: true,
      emailVerifiedAt: null,
      lastLoginAt: null,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    expect(await outbox()).toEqual([
      expect.objectContaining({ to: "peter@initech.test", subject: "Verify your email address" }),
      expect.objectContaining({ to: "milton@initech.test", subject: expect.stringContaining("invited") }),
    ]);
  });

  test("create refuses what the use case refuses (1), and needs exactly one of --password and --invite (2)", async () => {
    const base = ["users", "create", "--tenant", initech];
    const weak = await cli.run([...base, "--email", "weak@initech.test", "--password", "short"]);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toStartWith("saasctl: WEAK_PASSWORD: ");
    const taken = await cli.run([...base, "--email", "peter@initech.test", "--invite"]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toStartWith("saasctl: EMAIL_TAKEN: ");
    const escalation = await cli.run([
      ...base,
      "--email",
      "boss@initech.test",
      "--role",
      "super_admin",
      "--invite",
    ]);
    expect(escalation).toMatchObject({
      code: 1,
      stderr: "saasctl: ROLE_ESCALATION: super_admin exists only in the platform tenant.\n",
    });

    const neither = await cli.run([...base, "--email", "n@initech.test"]);
    expect(neither).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("pass --password <password> or --invite"),
    });
    const both = await cli.run([...base, "--email", "n@initech.test", "--invite", "--password", PASSWORD]);
    expect(both.code).toBe(2);
    const stored = await cli.db
      .select({ email: users.email })
      .from(users)
      .where(eq(users.tenantId, tenantId))
      .orderBy(asc(users.id));
    expect(stored.map((u) => u.email)).toEqual(["peter@initech.test", "milton@initech.test"]);
    const unknownTenant = await cli.run(["users", "list", "--tenant", cli.unique("nowhere")]);
    expect(unknownTenant).toMatchObject({ code: 1, stderr: expect.stringContaining("TENANT_NOT_FOUND") });
  });

  test("list prints the tenant's users; --role filters; --json gives {items, nextCursor}", async () => {
    const table = await cli.run(["users", "list", "--tenant", initech]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^EMAIL +ROLE +ACTIVE +VERIFIED +LAST LOGIN +ID$/);
    expect(lines.slice(1).map((l) => l.split(/ +/).slice(0, 4))).toEqual([
      ["peter@initech.test", "admin", "yes", "no"],
      ["milton@initech.test", "member", "yes", "no"],
    ]);
    const admins = await cli.json(["users", "list", "--tenant", initech, "--role", "admin"]);
    expect(admins).toEqual({
      items: [expect.objectContaining({ email: "peter@initech.test" })],
      nextCursor: null,
    });
    expect((await cli.run(["users", "list", "--tenant", initech, "--role", "boss"])).code).toBe(2);
  });

  test("set-role, deactivate and activate change the user through the use case; audited as the OS user", async () => {
    const promoted = await cli.run([
      "users",
      "set-role",
      "--tenant",
      initech,
      "milton@initech.test",
      "admin",
    ]);
    expect(promoted).toMatchObject({ code: 0, stdout: "user milton@initech.test is now admin\n" });
    const off = await cli.json(["users", "deactivate", "--tenant", initech, "milton@initech.test"]);
    expect(off).toMatchObject({ email: "milton@initech.test", role: "admin", isActive: false });
    const on = await cli.run(["users", "activate", "--tenant", initech, "milton@initech.test"]);
    expect(on).toMatchObject({ code: 0, stdout: "user milton@initech.test activated\n" });

    const missing = await cli.run(["users", "deactivate", "--tenant", initech, "nobody@initech.test"]);
    expect(missing).toMatchObject({ code: 1, stderr: "saasctl: USER_NOT_FOUND: No such user.\n" });
    const toSuper = await cli.run([
      "users",
      "set-role",
      "--tenant",
      initech,
      "milton@initech.test",
      "super_admin",
    ]);
    expect(toSuper.code).toBe(1);
    expect(toSuper.stderr).toContain("ROLE_ESCALATION");
    // The operator is a super admin: another super admin is not below them.
    const peer = await cli.run(["users", "deactivate", "--tenant", "platform", cli.adminEmail]);
    expect(peer).toMatchObject({ code: 1, stderr: expect.stringContaining("ROLE_ESCALATION") });

    const [milton] = await cli.db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.email, "milton@initech.test")));
    expect(milton).toMatchObject({ role: "admin", isActive: true });
    const events = await cli.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.actorType, "cli")))
      .orderBy(asc(auditEvents.seq));
    expect(events.map((e) => e.action)).toEqual([
      "tenant.created",
      "user.created",
      "user.created",
      "user.role_changed",
      "user.updated",
      "user.updated",
    ]);
    expect(new Set(events.map((e) => e.actorId))).toEqual(new Set([OS_USER]));
  });

  test("revoke-sessions ends the user's sessions and says how many; a suspended tenant is refused", async () => {
    expect(await cli.json(["users", "revoke-sessions", "--tenant", initech, "peter@initech.test"])).toEqual({
      revoked: 0,
    });
    const human = await cli.run(["users", "revoke-sessions", "--tenant", initech, "peter@initech.test"]);
    expect(human).toMatchObject({ code: 0, stdout: "0 sessions of peter@initech.test ended\n" });

    await cli.json(["tenants", "suspend", initech]);
    const inactive = await cli.run(["users", "list", "--tenant", initech]);
    expect(inactive).toMatchObject({
      code: 1,
      stderr: "saasctl: TENANT_INACTIVE: The tenant is suspended.\n",
    });
    await cli.json(["tenants", "activate", initech]);
  });

  test("deactivate discards the user's outstanding invitation, as the API does", async () => {
    const invited = await cli.json([
      "users",
      "create",
      "--tenant",
      initech,
      "--email",
      "bob@initech.test",
      "--invite",
    ]);
    const unused = () =>
      cli.db
        .select({ purpose: oneTimeTokens.purpose })
        .from(oneTimeTokens)
        .where(and(eq(oneTimeTokens.userId, invited.id), isNull(oneTimeTokens.usedAt)));
    expect(await unused()).toEqual([{ purpose: "invitation" }]);
    const off = await cli.run(["users", "deactivate", "--tenant", initech, "bob@initech.test"]);
    expect(off).toMatchObject({ code: 0, stdout: "user bob@initech.test deactivated\n" });
    expect(await unused()).toEqual([]);
  });

  test("--help shows an example on every users command", async () => {
    for (const command of ["list", "create", "set-role", "deactivate", "activate", "revoke-sessions"]) {
      const help = await cli.run(["users", command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Example:\n  saasctl users ${command}`);
    }
  });
});
