import { describe, expect, test } from "bun:test";
import { asc, eq, sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../src/adapters/db/database";
import { migrate } from "../../src/adapters/db/migrate";
import { auditChainHeads, auditEvents, tenants, users } from "../../src/adapters/db/schema";
import { scopedDatabase } from "../../src/adapters/db/scoped-database";
import { repositories, unitOfWork } from "../../src/adapters/db/unit-of-work";
import { systemClock } from "../../src/adapters/system/system-clock";
import { uuidv7Ids } from "../../src/adapters/system/uuidv7-ids";
import { chainHash } from "../../src/core/domain/audit-chain";
import { tenantScope } from "../../src/core/domain/data-scope";
import { ConflictError } from "../../src/core/domain/errors";
import { embeddedDatabase, realPostgres } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const drivers: [string, () => Promise<DatabaseHandle | null>][] = [
  ["pglite", embeddedDatabase],
  ["postgres", realPostgres],
];
const origin = { ip: null, userAgent: null, requestId: null };
const slug = () => `it-${Bun.randomUUIDv7().slice(-12)}`;

for (const [driver, open] of drivers) {
  describe(`database on ${driver}`, async () => {
    const handle = await open();
    const maybe = handle ? test : test.skip;
    const h = handle as DatabaseHandle;
    const repos = () => repositories(h.db, systemClock, uuidv7Ids);
    const uow = () => unitOfWork(scopedDatabase(h), systemClock, uuidv7Ids);
    const newTenant = () =>
      repos().tenants.create({ id: uuidv7Ids.next(), name: "T", slug: slug(), plan: "free" });

    maybe("applying the migrations again changes nothing", async () => {
      const count = async () =>
        (await h.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown;
      const before = JSON.stringify(await count());
      await migrate(h);
      await migrate(h);
      expect(JSON.stringify(await count())).toBe(before);
    });

    maybe("a duplicate slug is a ConflictError SLUG_TAKEN", async () => {
      const tenant = await newTenant();
      const again = repos().tenants.create({
        id: uuidv7Ids.next(),
        name: "T",
        slug: tenant.slug,
        plan: "free",
      });
      await expect(again).rejects.toBeInstanceOf(ConflictError);
      await expect(again).rejects.toMatchObject({ code: "SLUG_TAKEN" });
    });

    maybe(
      "a duplicate email within a tenant is EMAIL_TAKEN; the same email in another tenant is fine",
      async () => {
        const a = await newTenant();
        const b = await newTenant();
        const user = { passwordHash: null, role: "member" as const, email: "dup@example.com" };
        await repos().users.create({ ...user, id: uuidv7Ids.next(), tenantId: a.id });
        await expect(
          repos().users.create({ ...user, id: uuidv7Ids.next(), tenantId: a.id }),
        ).rejects.toMatchObject({
          code: "EMAIL_TAKEN",
        });
        await repos().users.create({ ...user, id: uuidv7Ids.next(), tenantId: b.id });
      },
    );

    maybe("the database refuses emails that are not lower-case and unknown roles", async () => {
      const tenant = await newTenant();
      const insert = async (values: Partial<typeof users.$inferInsert>) => {
        await h.db
          .insert(users)
          .values({ id: uuidv7Ids.next(), tenantId: tenant.id, email: "x@example.com", ...values });
      };
      await expect(insert({ email: "Upper@Example.com" })).rejects.toThrow();
      await expect(insert({ role: "owner" as never })).rejects.toThrow();
    });

    maybe("a user is invisible from another tenant", async () => {
      const a = await newTenant();
      const b = await newTenant();
      const user = await repos().users.create({
        id: uuidv7Ids.next(),
        tenantId: a.id,
        email: "iso@example.com",
        passwordHash: null,
        role: "member",
      });
      expect(await repos().users.findById(a.id, user.id)).not.toBeNull();
      expect(await repos().users.findById(b.id, user.id)).toBeNull();
      expect(await repos().users.findCredentialsByEmail(b.id, "iso@example.com")).toBeNull();
    });

    maybe("a failed transaction leaves neither the change nor its audit event", async () => {
      const tenant = await newTenant();
      const userId = uuidv7Ids.next();
      await expect(
        uow().transaction(tenantScope(tenant.id), async (r) => {
          await r.users.create({
            id: userId,
            tenantId: tenant.id,
            email: "rollback@example.com",
            passwordHash: null,
            role: "member",
          });
          await r.audit.append(
            {
              tenantId: tenant.id,
              actor: { type: "system", id: null, display: null },
              action: "user.created",
              resource: { type: "user", id: userId },
              outcome: "success",
            },
            origin,
          );
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await repos().users.findById(tenant.id, userId)).toBeNull();
      expect(await h.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenant.id))).toEqual([]);
    });

    maybe("concurrent audit appends in one tenant form one gap-free, valid chain", async () => {
      const tenant = await newTenant();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          uow().transaction(tenantScope(tenant.id), (r) =>
            r.audit.append(
              {
                tenantId: tenant.id,
                actor: { type: "system", id: null, display: null },
                action: "test.event",
                resource: { type: "test", id: String(i) },
                outcome: "success",
                metadata: { i },
              },
              origin,
            ),
          ),
        ),
      );
      const events = await h.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.tenantId, tenant.id))
        .orderBy(asc(auditEvents.seq));
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      let prev = "0".repeat(64);
      for (const { prevHash, hash, ...event } of events) {
        expect(prevHash).toBe(prev);
        expect(hash).toBe(chainHash(prev, { ...event, createdAt: event.createdAt.toISOString() }));
        prev = hash;
      }
      const [head] = await h.db.select().from(auditChainHeads).where(eq(auditChainHeads.tenantId, tenant.id));
      expect(head).toEqual({ tenantId: tenant.id, lastSeq: 20, lastHash: prev });
    });

    maybe("metadata is hashed as it is stored, so events with dates or nested values verify", async () => {
      const tenant = await newTenant();
      await uow().transaction(tenantScope(tenant.id), (r) =>
        r.audit.append(
          {
            tenantId: tenant.id,
            actor: { type: "system", id: null, display: null },
            action: "test.metadata",
            resource: { type: "test", id: null },
            outcome: "success",
            metadata: {
              when: new Date("2026-01-02T03:04:05.678Z"),
              skipped: undefined,
              nested: { b: 1, a: [1, "é"] },
            },
          },
          origin,
        ),
      );
      const [{ prevHash, hash, ...event }] = (await h.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.tenantId, tenant.id))) as [typeof auditEvents.$inferSelect];
      expect(event.metadata).toEqual({ when: "2026-01-02T03:04:05.678Z", nested: { b: 1, a: [1, "é"] } });
      expect(hash).toBe(chainHash(prevHash, { ...event, createdAt: event.createdAt.toISOString() }));
    });

    maybe("timestamps are stored with time zone and read back as the same instant", async () => {
      const tenant = await newTenant();
      const [row] = await h.db.select().from(tenants).where(eq(tenants.id, tenant.id));
      expect(row!.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(row!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    });
  });
}
