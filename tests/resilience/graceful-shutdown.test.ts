import { afterEach, beforeAll, describe, expect, test } from "bun:test";
import { isolatedDatabaseEnv } from "../support/resources";
import { killServers, startServer } from "../support/server-process";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

// The embedded database runs on the server's own thread, so under load it holds back even the
// signal handler: this is a test of a production deployment, on PostgreSQL.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
if (!onPostgres) console.info("SIGTERM-under-load test skipped: it needs PostgreSQL (set TEST_DATABASE_URL)");

let databaseEnv: Record<string, string>;
beforeAll(async () => {
  databaseEnv = await isolatedDatabaseEnv();
});
afterEach(killServers);

describe("SIGTERM under load", () => {
  test.if(onPostgres)(
    "every in-flight request completes, new connections are refused, and the process exits in time",
    async () => {
      const shutdownSeconds = 10;
      // bcrypt at cost 12 keeps a dozen logins busy for a second or more on two cores.
      const server = startServer({
        ...databaseEnv,
        BCRYPT_COST: "12",
        ADMIN_PASSWORD: "Graceful-Admin-Password-1",
        SHUTDOWN_TIMEOUT_SECONDS: String(shutdownSeconds),
        RATE_LIMIT_IP_LIMIT: "1000",
        RATE_LIMIT_ACCOUNT_LIMIT: "1000",
      });
      const url = await server.url();
      const logins = Array.from({ length: 12 }, () =>
        fetch(`${url}/api/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: "admin@example.com", password: "Graceful-Admin-Password-1" }),
        }),
      );
      await Bun.sleep(300); // every request has reached the server
      const signalledAt = Date.now();
      server.kill("SIGTERM");
      await Bun.sleep(100);
      const { hostname, port } = new URL(url);
      const newConnection = await Bun.connect({ hostname, port: Number(port), socket: { data() {} } }).then(
        (socket) => {
          socket.end();
          return "accepted";
        },
        () => "refused",
      );

      const responses = await Promise.all(logins);
      expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
      for (const response of responses) {
        const body = (await response.json()) as { accessToken?: string };
        expect(body.accessToken).toEqual(expect.any(String));
      }
      expect(newConnection).toBe("refused");
      expect(await server.exited).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(shutdownSeconds * 1000);
      expect(server.lines.some((l) => l.includes('"server.stopped"'))).toBe(true);
    },
  );
});
