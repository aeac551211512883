import { beforeAll, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, userMfa } from "../../src/adapters/db/schema";
import { type CliHarness, cliHarness, OS_USER } from "../support/cli";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let cli: CliHarness;
beforeAll(async () => {
  cli = await cliHarness();
});

test("saasctl users mfa-reset removes a user's factor, ends their sessions, mails them and is audited as the operator", async () => {
  const slug = cli.unique("mfa");
  const tenant = await cli.json(["tenants", "create", "--name", "Mfa Co", "--slug", slug]);
  const user = await cli.json([
    "users",
    "create",
    "--tenant",
    slug,
    "--email",
    "ann@mfa.test",
    "--password",
    "Mfa-Password-42",
  ]);
  await cli.db
    .insert(userMfa)
    .values({ userId: user.id, tenantId: tenant.id, secretSealed: "v1.x.y.z", confirmedAt: new Date() });

  const res = await cli.run(["users", "mfa-reset", "--tenant", slug, "ann@mfa.test"]);

  expect(res).toMatchObject({
    code: 0,
    stdout: "two-factor sign-in of ann@mfa.test reset; 0 session(s) ended\n",
  });
  expect(await cli.db.select().from(userMfa).where(eq(userMfa.userId, user.id))).toHaveLength(0);
  const [event] = await cli.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "mfa.reset")));
  expect(event).toMatchObject({ actorType: "cli", actorDisplay: OS_USER, resourceId: user.id });
  const again = await cli.run(["users", "mfa-reset", "--tenant", slug, "ann@mfa.test"]);
  expect(again).toMatchObject({
    code: 1,
    stderr: "saasctl: MFA_NOT_ENABLED: This user has no two-factor sign-in to reset.\n",
  });
});
