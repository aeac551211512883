import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq, isNull } from "drizzle-orm";
import { auditEvents, oneTimeTokens } from "../../src/adapters/db/schema";
import { readCliDatabase, saasctl, saasctlJson, seededCliEnv } from "../support/saasctl";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

/** The OS user running the tests, as the system names them (and the CLI, a child process, too). */
const OS_USER = Bun.spawnSync(["id", "-un"]).stdout.toString().trim();

let env: Record<string, string>;
let tenantId: string;
beforeAll(async () => {
  env = await seededCliEnv();
  tenantId = (await saasctlJson(["tenants", "create", "--name", "Initech", "--slug", "initech"], env)).id;
});

const PASSWORD = "Initech-Password-42";
const outbox = async () =>
  (await Bun.file(env.MAIL_OUTBOX_PATH!).text())
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { to: string; subject: string });

describe("saasctl users", () => {
  test("create with --password mails a verification link; with --invite an invitation; --json has no secrets", async () => {
    const human = await saasctl(
      [
        "users",
        "create",
        "--tenant",
        "initech",
        "--email",
        "Peter@Initech.test",
        "--role",
        "admin",
        "--password",
        PASSWORD,
      ],
      env,
    );
    expect(human).toMatchObject({ code: 0, stderr: "" });
    expect(human.stdout).toBe("user peter@initech.test created in initech (admin); verification link sent\n");

    const invited = await saasctlJson(
      ["users", "create", "--tenant", "initech", "--email", "milton@initech.test", "--invite"],
      env,
    );
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
    const base = ["users", "create", "--tenant", "initech"];
    const weak = await saasctl([...base, "--email", "weak@initech.test", "--password", "short"], env);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toStartWith("saasctl: WEAK_PASSWORD: ");
    const taken = await saasctl([...base, "--email", "peter@initech.test", "--invite"], env);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toStartWith("saasctl: EMAIL_TAKEN: ");
    const escalation = await saasctl(
      [...base, "--email", "boss@initech.test", "--role", "super_admin", "--invite"],
      env,
    );
    expect(escalation).toMatchObject({
      code: 1,
      stderr: "saasctl: ROLE_ESCALATION: super_admin exists only in the platform tenant.\n",
    });

    const neither = await saasctl([...base, "--email", "n@initech.test"], env);
    expect(neither).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("pass --password <password> or --invite"),
    });
    const both = await saasctl(
      [...base, "--email", "n@initech.test", "--invite", "--password", PASSWORD],
      env,
    );
    expect(both.code).toBe(2);
    const unknownTenant = await saasctl(["users", "list", "--tenant", "nowhere"], env);
    expect(unknownTenant).toMatchObject({ code: 1, stderr: expect.stringContaining("TENANT_NOT_FOUND") });
  });

  test("list prints the tenant's users; --role filters; --json gives {items, nextCursor}", async () => {
    const table = await saasctl(["users", "list", "--tenant", "initech"], env);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^EMAIL +ROLE +ACTIVE +VERIFIED +LAST LOGIN +ID$/);
    expect(lines.slice(1).map((l) => l.split(/ +/).slice(0, 4))).toEqual([
      ["peter@initech.test", "admin", "yes", "no"],
      ["milton@initech.test", "member", "yes", "no"],
    ]);
    const admins = await saasctlJson(["users", "list", "--tenant", "initech", "--role", "admin"], env);
    expect(admins).toEqual({
      items: [expect.objectContaining({ email: "peter@initech.test" })],
      nextCursor: null,
    });
    expect((await saasctl(["users", "list", "--tenant", "initech", "--role", "boss"], env)).code).toBe(2);
  });

  test("set-role, deactivate and activate change the user through the use case; audited as the OS user", async () => {
    const promoted = await saasctl(
      ["users", "set-role", "--tenant", "initech", "milton@initech.test", "admin"],
      env,
    );
    expect(promoted).toMatchObject({ code: 0, stdout: "user milton@initech.test is now admin\n" });
    const off = await saasctlJson(["users", "deactivate", "--tenant", "initech", "milton@initech.test"], env);
    expect(off).toMatchObject({ email: "milton@initech.test", role: "admin", isActive: false });
    const on = await saasctl(["users", "activate", "--tenant", "initech", "milton@initech.test"], env);
    expect(on).toMatchObject({ code: 0, stdout: "user milton@initech.test activated\n" });

    const missing = await saasctl(["users", "deactivate", "--tenant", "initech", "nobody@initech.test"], env);
    expect(missing).toMatchObject({ code: 1, stderr: "saasctl: USER_NOT_FOUND: No such user.\n" });
    const toSuper = await saasctl(
      ["users", "set-role", "--tenant", "initech", "milton@initech.test", "super_admin"],
      env,
    );
    expect(toSuper.code).toBe(1);
    expect(toSuper.stderr).toContain("ROLE_ESCALATION");
    // The operator is a super admin: another super admin is not below them.
    const peer = await saasctl(["users", "deactivate", "--tenant", "platform", "admin@example.com"], env);
    expect(peer).toMatchObject({ code: 1, stderr: expect.stringContaining("ROLE_ESCALATION") });

    const events = await readCliDatabase(env, (db) =>
      db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.actorType, "cli"))),
    );
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
    expect(
      await saasctlJson(["users", "revoke-sessions", "--tenant", "initech", "peter@initech.test"], env),
    ).toEqual({
      revoked: 0,
    });
    const human = await saasctl(
      ["users", "revoke-sessions", "--tenant", "initech", "peter@initech.test"],
      env,
    );
    expect(human).toMatchObject({ code: 0, stdout: "0 sessions of peter@initech.test ended\n" });

    await saasctlJson(["tenants", "suspend", "initech"], env);
    const inactive = await saasctl(["users", "list", "--tenant", "initech"], env);
    expect(inactive).toMatchObject({
      code: 1,
      stderr: "saasctl: TENANT_INACTIVE: The tenant is suspended.\n",
    });
    await saasctlJson(["tenants", "activate", "initech"], env);
  });

  test("deactivate discards the user's outstanding invitation, as the API does", async () => {
    const invited = await saasctlJson(
      ["users", "create", "--tenant", "initech", "--email", "bob@initech.test", "--invite"],
      env,
    );
    const unused = () =>
      readCliDatabase(env, (db) =>
        db
          .select({ purpose: oneTimeTokens.purpose })
          .from(oneTimeTokens)
          .where(and(eq(oneTimeTokens.userId, invited.id), isNull(oneTimeTokens.usedAt))),
      );
    expect(await unused()).toEqual([{ purpose: "invitation" }]);
    const off = await saasctl(["users", "deactivate", "--tenant", "initech", "bob@initech.test"], env);
    expect(off).toMatchObject({ code: 0, stdout: "user bob@initech.test deactivated\n" });
    expect(await unused()).toEqual([]);
  });

  test("--help shows an example on every users command", async () => {
    for (const command of ["list", "create", "set-role", "deactivate", "activate", "revoke-sessions"]) {
      const help = await saasctl(["users", command, "--help"], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Example:\n  saasctl users ${command}`);
    }
  });
});
