import { afterEach, beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { migrate } from "../../src/adapters/db/migrate";
import { openPglite } from "../../src/adapters/db/open-pglite";
import { openPostgres } from "../../src/adapters/db/open-postgres";
import { users } from "../../src/adapters/db/schema";
import { DEFAULT_ADMIN_PASSWORD } from "../../src/config";
import { isolatedDatabaseEnv } from "../support/resources";
import { readCliDatabase } from "../support/saasctl";
import { killServers, startServer } from "../support/server-process";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
if (!onPostgres)
  console.info("generated-admin-password start-up test skipped: it needs PostgreSQL (TEST_DATABASE_URL)");
let databaseEnv: Record<string, string>;

beforeAll(async () => {
  databaseEnv = await isolatedDatabaseEnv();
});

afterEach(killServers);

const start = startServer;
// On PostgreSQL the documented admin password is refused: the server is told another.
const ADMIN_PASSWORD = "Server-Process-Admin-1";

describe("the server process", () => {
  test("SIGTERM lets an in-flight request finish, then exits 0", async () => {
    // bcrypt at cost 13 makes a login take ~0.6 s. The request gets 250 ms to reach the handler: a
    // connection still waiting in the accept backlog when the listener closes is reset by any server.
    const child = start({ ...databaseEnv, BCRYPT_COST: "13", ADMIN_PASSWORD: ADMIN_PASSWORD });
    const url = await child.url();
    const login = fetch(`${url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@example.com", password: ADMIN_PASSWORD }),
    });
    await Bun.sleep(250);
    child.kill("SIGTERM");
    const response = await login;
    expect(response.status).toBe(200);
    expect(await child.exited).toBe(0);
  });

  test("the server runs the cleanup job and logs what it removed", async () => {
    const child = start({ ...databaseEnv, BCRYPT_COST: "4", REFRESH_TOKEN_CLEANUP_INTERVAL_SECONDS: "1" });
    const lines = child.lines;
    await child.url();
    const deadline = Date.now() + 5_000;
    while (!lines.some((l) => l.includes('"job.purge_expired"')) && Date.now() < deadline)
      await Bun.sleep(50);
    const line = lines.find((l) => l.includes('"job.purge_expired"'));
    expect(JSON.parse(line!)).toMatchObject({
      sessions: expect.any(Number),
      refreshTokens: expect.any(Number),
      oneTimeTokens: expect.any(Number),
    });
    child.kill("SIGTERM");
    expect(await child.exited).toBe(0);
  });

  test("a bad setting stops start-up with one line naming the variable", async () => {
    const child = start({ ...databaseEnv, ACCESS_TOKEN_TTL_SECONDS: "soon" });
    expect(await child.exited).toBe(1);
    const stderr = await new Response(child.stderr).text();
    expect(stderr.trim().split("\n")).toEqual([expect.stringContaining("ACCESS_TOKEN_TTL_SECONDS")]);
  });

  test("production without JWT_SECRET refuses to start", async () => {
    const child = start({ ...databaseEnv, NODE_ENV: "production" });
    expect(await child.exited).toBe(1);
    expect(await new Response(child.stderr).text()).toContain("JWT_SECRET is required");
  });

  test("a failing seed stops start-up with one line that carries no password hash or query", async () => {
    const env = await isolatedDatabaseEnv();
    const handle = env.DATABASE_URL
      ? await openPostgres({
          url: env.DATABASE_URL,
          maxConnections: 2,
          statementTimeoutMs: 30_000,
          connectTimeoutSeconds: 5,
        })
      : await openPglite(env.PGLITE_DATA_DIR!);
    await migrate(handle);
    await handle.db.execute(
      sql.raw(`create function refuse_users() returns trigger language plpgsql as $$
        begin raise exception 'users are read-only in this test'; end $$`),
    );
    await handle.db.execute(
      sql.raw(
        "create trigger refuse_users before insert on users for each row execute function refuse_users()",
      ),
    );
    await handle.close();

    const child = start({ ...env, BCRYPT_COST: "4" });
    expect(await child.exited).toBe(1);
    const stderr = await new Response(child.stderr).text();
    expect(stderr.trim().split("\n")).toEqual([
      "Start-up failed while seeding the platform admin: users are read-only in this test",
    ]);
    expect(stderr).not.toMatch(/\$2[aby]\$|params|insert into/i);
  });

  test("on PostgreSQL the documented admin password stops start-up with one line, before connecting", async () => {
    const child = start({
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/none",
      ADMIN_PASSWORD: DEFAULT_ADMIN_PASSWORD,
    });
    expect(await child.exited).toBe(1);
    expect(await new Response(child.stderr).text()).toBe(
      "Invalid configuration: ADMIN_PASSWORD must not be the documented default in production or on PostgreSQL (DATABASE_URL).\n",
    );
  });

  test.if(onPostgres)(
    "on PostgreSQL without ADMIN_PASSWORD the admin gets a generated password, printed once on stderr",
    async () => {
      const env = await isolatedDatabaseEnv();
      const first = start({ ...env, BCRYPT_COST: "4" });
      await first.url();
      first.kill("SIGTERM");
      expect(await first.exited).toBe(0);
      const stderr = await new Response(first.stderr).text();
      const generated = /^Generated password for admin@example\.com: (\S+)$/m.exec(stderr)?.[1];
      expect(generated).toBeDefined();
      expect(first.lines.join("\n")).not.toContain(generated!);
      const [admin] = await readCliDatabase(env, (db) =>
        db.select().from(users).where(eq(users.email, "admin@example.com")),
      );
      expect(await Bun.password.verify(generated!, admin!.passwordHash!)).toBe(true);
      expect(await Bun.password.verify(DEFAULT_ADMIN_PASSWORD, admin!.passwordHash!)).toBe(false);

      const second = start({ ...env, BCRYPT_COST: "4" });
      await second.url();
      second.kill("SIGTERM");
      expect(await second.exited).toBe(0);
      expect(await new Response(second.stderr).text()).toBe("");
    },
  );

  test("an unreachable database stops start-up with a clear error and no fallback", async () => {
    const child = start({
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/none",
      DB_CONNECT_TIMEOUT_SECONDS: "2",
    });
    expect(await child.exited).toBe(1);
    expect(await new Response(child.stderr).text()).toContain(
      "Cannot open the PostgreSQL at DATABASE_URL: connect ECONNREFUSED 127.0.0.1:1",
    );
  });
});
