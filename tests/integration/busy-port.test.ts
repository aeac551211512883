import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { isolatedDatabaseEnv } from "../support/resources";
import { killServers, type ServerProcess, startServer } from "../support/server-process";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

// The first server opts in to sharing. Linux shares a port only when every socket on it asked to,
// so a second server that is refused proves that its own default does not ask.
let first: ServerProcess;
let port: string;
beforeAll(async () => {
  first = startServer({
    ...(await isolatedDatabaseEnv()),
    BCRYPT_COST: "4",
    ADMIN_PASSWORD: "Busy-Port-Admin-1",
    REUSE_PORT: "true",
  });
  port = new URL(await first.url()).port;
});
afterAll(killServers);

async function startSecond(env: Record<string, string>) {
  // A database of its own: an embedded one is open in one process only, and the port is the point.
  return startServer({
    ...(await isolatedDatabaseEnv()),
    BCRYPT_COST: "4",
    ADMIN_PASSWORD: "Busy-Port-Admin-1",
    PORT: port,
    ...env,
  });
}

describe("a port already in use", () => {
  test("a second server refuses it with one line on stderr and exit code 1, and the first keeps serving", async () => {
    const second = await startSecond({});
    expect(await second.exited).toBe(1);
    const stderr = await new Response(second.stderr).text();
    expect(stderr.trim().split("\n")).toEqual([
      `Port ${port} on 127.0.0.1 is already in use: stop what holds it or choose another PORT (REUSE_PORT=true shares it on purpose).`,
    ]);
    expect(second.lines.some((line) => line.includes('"server.started"'))).toBe(false);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(first.exitCode).toBeNull();
  });

  test("with REUSE_PORT=true on both, a second server shares it on purpose", async () => {
    const second = await startSecond({ REUSE_PORT: "true" });
    expect(new URL(await second.url()).port).toBe(port);
    second.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
