import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { bunCommand, childEnv } from "../support/child-env";
import { isolatedDatabaseEnv } from "../support/resources";
import { killServers, type ServerProcess, startServer } from "../support/server-process";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

/** `saas-server healthcheck` as the container runs it, with only HOST and PORT. */
async function healthcheck(env: Record<string, string>) {
  const child = Bun.spawn(bunCommand(MAIN, "healthcheck"), {
    env: childEnv(env),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { stdout, stderr, code };
}

let server: ServerProcess;
let port: string;
beforeAll(async () => {
  server = startServer({
    ...(await isolatedDatabaseEnv()),
    BCRYPT_COST: "4",
    ADMIN_PASSWORD: "Healthcheck-Admin-1",
  });
  port = new URL(await server.url()).port;
});
afterAll(killServers);

describe("saas-server healthcheck", () => {
  test("exits 0 with one line while the server on PORT is ready", async () => {
    const result = await healthcheck({ HOST: "0.0.0.0", PORT: port });
    expect(result).toEqual({
      code: 0,
      stdout: `ready: http://127.0.0.1:${port}/health/ready answered 200 ready\n`,
      stderr: "",
    });
  });

  test("exits 1 with one line when the server answers 503", async () => {
    const unavailable = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => Response.json({ status: "unavailable" }, { status: 503 }),
    });
    try {
      const result = await healthcheck({ HOST: "127.0.0.1", PORT: String(unavailable.port) });
      expect(result).toEqual({
        code: 1,
        stdout: `not ready: http://127.0.0.1:${unavailable.port}/health/ready answered 503 unavailable\n`,
        stderr: "",
      });
    } finally {
      unavailable.stop(true);
    }
  });

  test("exits 1 with one line once the server has stopped", async () => {
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const result = await healthcheck({ PORT: port });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(`^not ready: http://127\\.0\\.0\\.1:${port}/health/ready: \\S.*\\n$`),
    );
  });

  test("exits 1 naming a PORT that is not a port number", async () => {
    expect(await healthcheck({ PORT: "http" })).toEqual({
      code: 1,
      stdout: 'not ready: PORT "http" is not a port number\n',
      stderr: "",
    });
  });
});
