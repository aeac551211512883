import { afterAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isolatedDatabaseEnv } from "../support/resources";
import { killServers, startServer } from "../support/server-process";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const PRODUCTION = {
  NODE_ENV: "production",
  JWT_SECRET: "production-start-secret-long-enough-0123456789",
  PUBLIC_URL: "https://api.example.com",
  APP_URL: "https://app.example.com",
  ADMIN_PASSWORD: "Production-Start-Admin-1",
  BCRYPT_COST: "4",
};

afterAll(killServers);

async function refusal(env: Record<string, string>) {
  const child = startServer(env);
  const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  return { code, stderr };
}

describe("a production start", () => {
  test("without SENDGRID_API_KEY or MAIL_DRIVER=outbox stops with one line, before opening the database", async () => {
    expect(await refusal({ ...PRODUCTION, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" })).toEqual({
      code: 1,
      stderr:
        "Invalid configuration: NODE_ENV=production needs SENDGRID_API_KEY, or MAIL_DRIVER=outbox to write mail to MAIL_OUTBOX_PATH on purpose.\n",
    });
  });

  test("without APP_URL stops with one line", async () => {
    const { APP_URL: _, ...withoutAppUrl } = PRODUCTION;
    expect(await refusal({ ...withoutAppUrl, MAIL_DRIVER: "outbox" })).toEqual({
      code: 1,
      stderr:
        "Invalid configuration: APP_URL is required when NODE_ENV=production (the base of the links mailed to users).\n",
    });
  });

  test("with MAIL_DRIVER=outbox starts, says so, and creates the outbox readable by its owner only", async () => {
    const dir = await mkdtemp(join(tmpdir(), "saas-outbox-"));
    try {
      const outbox = join(dir, "mail", "outbox.jsonl");
      const server = startServer({
        ...PRODUCTION,
        ...(await isolatedDatabaseEnv()),
        MAIL_DRIVER: "outbox",
        MAIL_OUTBOX_PATH: outbox,
      });
      await server.url();
      const started = JSON.parse(server.lines.find((line) => line.includes('"server.started"'))!);
      expect(started.mail).toBe("outbox");
      expect((await stat(outbox)).mode & 0o777).toBe(0o600);
      server.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
