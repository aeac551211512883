import { describe, expect, test } from "bun:test";
import { eq, inArray, sql } from "drizzle-orm";
import { MAX_PREPARED_PARAMETERS } from "../../src/adapters/db/prepared-statements";
import { tenants } from "../../src/adapters/db/schema";
import { realPostgres } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

/** The statements prepared on the connection that runs this (a transaction keeps one connection). */
const preparedHere = sql`select statement from pg_prepared_statements`;

describe("prepared statements on postgres", async () => {
  const handle = await realPostgres();
  const maybe = handle ? test : test.skip;

  maybe("a query builder's statement inside a transaction is prepared on its connection", async () => {
    const id = Bun.randomUUIDv7();
    const statements = await handle!.db.transaction(async (tx) => {
      await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, id));
      return (await tx.execute(preparedHere)) as unknown as { statement: string }[];
    });
    expect(statements.map((row) => row.statement)).toContain(
      'select "id" from "tenants" where "tenants"."id" = $1',
    );
  });

  maybe("inside a savepoint too", async () => {
    const id = Bun.randomUUIDv7();
    const statements = await handle!.db.transaction((tx) =>
      tx.transaction(async (inner) => {
        await inner.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, id));
        return (await inner.execute(preparedHere)) as unknown as { statement: string }[];
      }),
    );
    expect(statements.map((row) => row.statement)).toContain(
      'select "slug" from "tenants" where "tenants"."id" = $1',
    );
  });

  maybe("a bulk statement with more parameters than the limit is not kept prepared", async () => {
    const ids = Array.from({ length: MAX_PREPARED_PARAMETERS + 1 }, () => Bun.randomUUIDv7());
    const statements = await handle!.db.transaction(async (tx) => {
      await tx.select({ id: tenants.id }).from(tenants).where(inArray(tenants.id, ids));
      await tx
        .select({ id: tenants.id })
        .from(tenants)
        .where(inArray(tenants.id, ids.slice(1)));
      return (await tx.execute(preparedHere)) as unknown as { statement: string }[];
    });
    // Other tests may have prepared lists of tenants on this connection: look for these two only.
    const lists = statements
      .map((row) => row.statement)
      .filter((text) => text.includes('"tenants"."id" in ('));
    expect(lists.some((text) => text.includes(`$${MAX_PREPARED_PARAMETERS})`))).toBe(true);
    expect(lists.some((text) => text.includes(`$${MAX_PREPARED_PARAMETERS + 1})`))).toBe(false);
  });

  maybe("a rolled-back transaction still rolls back", async () => {
    const id = Bun.randomUUIDv7();
    const slug = `prep-${id.slice(-12)}`;
    await expect(
      handle!.db.transaction(async (tx) => {
        await tx.insert(tenants).values({ id, name: "P", slug, plan: "free" });
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect(await handle!.db.select().from(tenants).where(eq(tenants.id, id))).toEqual([]);
  });
});
