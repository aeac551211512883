/**
 * Flag answers are counted in memory and written by a periodic flush: SIGTERM must write what was
 * counted before the process ends.
 */
import { afterEach, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { flagMetrics } from "../../src/adapters/db/schema";
import { readCliDatabase, saasctlJson, seededCliEnv } from "../support/saasctl";
import { killServers, startServer } from "../support/server-process";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let env: Record<string, string>;
beforeAll(async () => {
  env = await seededCliEnv();
});
afterEach(killServers);

describe("flag metrics at shutdown", () => {
  test("counts an SDK posted are in flag_metrics once the server has exited 0 on SIGTERM", async () => {
    const tenant = await saasctlJson(["tenants", "create", "--name", "Metered", "--slug", "metered"], env);
    await saasctlJson(["flags", "create", "metered-flag", "--tenant", "metered"], env);
    const { secret } = await saasctlJson(
      ["api-keys", "create", "--tenant", "metered", "--name", "node sdk", "--kind", "client"],
      env,
    );
    const server = startServer({ ...env, BCRYPT_COST: "4" });
    const url = await server.url();
    const response = await fetch(`${url}/api/client/metrics`, {
      method: "POST",
      headers: { authorization: secret, "content-type": "application/json" },
      body: JSON.stringify({
        appName: "billing",
        bucket: {
          start: new Date().toISOString(),
          stop: new Date().toISOString(),
          toggles: { "metered-flag": { yes: 3, no: 2 } },
        },
      }),
    });
    expect(response.status).toBe(202);
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);

    const rows = await readCliDatabase(env, (db) =>
      db
        .select()
        .from(flagMetrics)
        .where(and(eq(flagMetrics.tenantId, tenant.id), eq(flagMetrics.flagKey, "metered-flag"))),
    );
    expect([rows.reduce((sum, r) => sum + r.yes, 0), rows.reduce((sum, r) => sum + r.no, 0)]).toEqual([3, 2]);
  });
});
