import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, tenants, users } from "../../src/adapters/db/schema";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

describe("seedPlatform", () => {
  test("creates the platform tenant and a verified super admin once; running again changes nothing", async () => {
    const email = `${t.unique("root")}@example.com`;
    const first = await t.useCases.seedPlatform({ adminEmail: email, adminPassword: "First-Password-1" });
    expect(first.adminCreated).toBe(true);

    const [platform] = await t.db.select().from(tenants).where(eq(tenants.slug, "platform"));
    expect(platform).toMatchObject({ status: "active", name: "Platform" });
    const [admin] = await t.db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, platform!.id), eq(users.email, email)));
    expect(admin).toMatchObject({ role: "super_admin", isActive: true });
    expect(admin!.emailVerifiedAt).toBeInstanceOf(Date);
    expect(admin!.passwordHash).toStartWith("$2");

    const second = await t.useCases.seedPlatform({ adminEmail: email, adminPassword: "Another-Password-2" });
    expect(second).toEqual({ tenantCreated: false, adminCreated: false });
    const [after] = await t.db.select().from(users).where(eq(users.id, admin!.id));
    expect(after).toEqual(admin!);

    const created = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, platform!.id), eq(auditEvents.resourceId, admin!.id)));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ action: "user.created", actorType: "system" });
    expect(JSON.stringify(created)).not.toContain("First-Password-1");
  });

  test("a hash of the admin's password begun earlier is the one stored", async () => {
    const email = `${t.unique("early")}@example.com`;
    const adminPasswordHash = Bun.password.hash("Early-Password-1", { algorithm: "bcrypt", cost: 4 });
    const seeded = await t.useCases.seedPlatform({
      adminEmail: email,
      adminPassword: "Early-Password-1",
      adminPasswordHash,
    });
    expect(seeded.adminCreated).toBe(true);
    const [admin] = await t.db.select().from(users).where(eq(users.email, email));
    expect(admin!.passwordHash).toBe(await adminPasswordHash);
    expect(await Bun.password.verify("Early-Password-1", admin!.passwordHash!)).toBe(true);
  });

  test("concurrent seeds create one admin", async () => {
    const email = `${t.unique("race")}@example.com`;
    const results = await Promise.all(
      [1, 2, 3].map(() => t.useCases.seedPlatform({ adminEmail: email, adminPassword: "Race-Password-1" })),
    );
    expect(results.filter((r) => r.adminCreated)).toHaveLength(1);
    const rows = await t.db.select().from(users).where(eq(users.email, email));
    expect(rows).toHaveLength(1);
  });

  test("a weak admin password is refused with WEAK_PASSWORD and creates nothing", async () => {
    const email = `${t.unique("weak")}@example.com`;
    await expect(
      t.useCases.seedPlatform({ adminEmail: email, adminPassword: "short" }),
    ).rejects.toMatchObject({
      code: "WEAK_PASSWORD",
    });
    expect(await t.db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });
});
