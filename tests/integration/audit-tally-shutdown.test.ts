/**
 * A server without Redis counts repeated refusals in its own memory: SIGTERM must write what it
 * counted before the process ends.
 */
import { afterEach, beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq } from "drizzle-orm";
import { auditEvents, tenants } from "../../src/adapters/db/schema";
import { isolatedDatabaseEnv } from "../support/resources";
import { readCliDatabase } from "../support/saasctl";
import { killServers, startServer } from "../support/server-process";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let databaseEnv: Record<string, string>;
beforeAll(async () => {
  databaseEnv = await isolatedDatabaseEnv();
});
afterEach(killServers);

describe("coalesced refusals at shutdown", () => {
  test("SIGTERM writes the summary of refusals only counted in memory, then exits 0", async () => {
    const server = startServer({ ...databaseEnv, BCRYPT_COST: "4", RATE_LIMIT_IP_LIMIT: "1" });
    const url = await server.url();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${url}/api/v1/auth/refresh`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refreshToken: "x".repeat(43) }),
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 429, 429, 429, 429, 429]);
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);

    const trips = await readCliDatabase(databaseEnv, async (db) => {
      const [platform] = await db.select().from(tenants).where(eq(tenants.slug, "platform"));
      return db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, platform!.id), eq(auditEvents.action, "abuse.rate_limited")))
        .orderBy(asc(auditEvents.seq));
    });
    // The first trip and a summary of the other four (two of each if the minute turned meanwhile).
    expect(trips.length).toBeLessThanOrEqual(4);
    expect(trips.reduce((sum, e) => sum + (e.metadata.count as number), 0)).toBe(5);
    expect(trips.find((e) => e.metadata.summary)?.metadata).toMatchObject({ scope: "ip", tenantless: true });
  });
});
