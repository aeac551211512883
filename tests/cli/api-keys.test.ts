import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { apiKeys, auditEvents } from "../../src/adapters/db/schema";
import { hashSecretToken } from "../../src/core/domain/secret-token";
import { type CliHarness, cliHarness, OS_USER } from "../support/cli";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let cli: CliHarness;
let acme: string;
let tenantId: string;
beforeAll(async () => {
  cli = await cliHarness();
  acme = cli.unique("acme");
  tenantId = (await cli.json(["tenants", "create", "--name", "Acme", "--slug", acme])).id;
});

const auditOf = (action: string) =>
  cli.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)));

describe("saasctl api-keys", () => {
  test("create prints the secret once; the database keeps its hash; the operator is the audited creator", async () => {
    const res = await cli.run([
      "api-keys",
      "create",
      "--tenant",
      acme,
      "--name",
      "ci",
      "--permission",
      "flags:read",
      "--permission",
      "users:read",
    ]);
    expect(res).toMatchObject({ code: 0, stderr: "" });
    const secret = res.stdout.match(/sk_[A-Za-z0-9_-]{54}/)![0];
    expect(res.stdout).toContain("The secret is shown only now");
    const [row] = await cli.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.secretHash, hashSecretToken(secret)));
    expect(row).toMatchObject({
      tenantId,
      name: "ci",
      kind: "api",
      permissions: ["flags:read", "users:read"],
      createdByType: "cli",
      createdById: OS_USER,
    });
    const [event] = await auditOf("api_key.created");
    expect(event).toMatchObject({ actorType: "cli", actorId: OS_USER, resourceId: row!.id });
  });

  test("an operator's key holds at most what the tenant's highest role may: platform permissions are refused", async () => {
    const res = await cli.run([
      "api-keys",
      "create",
      "--tenant",
      acme,
      "--name",
      "x",
      "--permission",
      "tenants:read",
    ]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("PERMISSION_NOT_HELD");
  });

  test("--kind frontend with --origin, and --expires; --json carries the key and its secret", async () => {
    const created = await cli.json([
      "api-keys",
      "create",
      "--tenant",
      acme,
      "--name",
      "web",
      "--kind",
      "frontend",
      "--origin",
      "https://app.acme.test",
      "--expires",
      "2099-01-31T00:00:00Z",
    ]);
    expect(created.secret).toMatch(/^fk_/);
    expect(created.key).toMatchObject({
      kind: "frontend",
      allowedOrigins: ["https://app.acme.test"],
      expiresAt: "2099-01-31T00:00:00.000Z",
    });
  });

  test("a malformed --expires is a usage error", async () => {
    const res = await cli.run([
      "api-keys",
      "create",
      "--tenant",
      acme,
      "--name",
      "x",
      "--expires",
      "tomorrow",
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("ISO-8601");
  });

  test("list shows live keys without secrets; revoke removes one and audits it", async () => {
    const created = await cli.json(["api-keys", "create", "--tenant", acme, "--name", "to-revoke"]);
    const listed = await cli.run(["api-keys", "list", "--tenant", acme]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("to-revoke");
    expect(listed.stdout).toContain(created.key.prefix);
    expect(listed.stdout).not.toContain(created.secret);

    const revoked = await cli.run(["api-keys", "revoke", "--tenant", acme, created.key.id]);
    expect(revoked).toMatchObject({ code: 0, stdout: `API key ${created.key.id} revoked\n` });
    const page = await cli.json(["api-keys", "list", "--tenant", acme]);
    expect(page.items.map((k: { id: string }) => k.id)).not.toContain(created.key.id);
    const events = await auditOf("api_key.revoked");
    expect(events.map((e) => e.resourceId)).toContain(created.key.id);

    const again = await cli.run(["api-keys", "revoke", "--tenant", acme, created.key.id]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("API_KEY_NOT_FOUND");
  });
});
