import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { bunCommand, childEnv } from "../support/child-env";
import { testKeyPrefix } from "../support/resources";
import { saasctl, saasctlJson, seededCliEnv } from "../support/saasctl";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;
// A server and the CLI share a database only on PostgreSQL (PGlite is one process), and see each
// other's cache writes only through Redis.
const shared = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

let env: Record<string, string>;
let server: Bun.Subprocess<"ignore", "pipe", "pipe"> | undefined;
let api: string;

function listening(child: Bun.Subprocess<"ignore", "pipe", "pipe">): Promise<string> {
  return new Promise((resolve, reject) => {
    const decoder = new TextDecoder();
    let seen = "";
    (async () => {
      for await (const chunk of child.stdout) {
        seen += decoder.decode(chunk);
        const line = seen.split("\n").find((l) => l.includes('"server.started"'));
        if (line) resolve(JSON.parse(line).url);
      }
      reject(new Error(`server exited: ${await new Response(child.stderr).text()}`));
    })();
  });
}

beforeAll(async () => {
  if (!shared) return;
  env = await seededCliEnv({ REDIS_URL: process.env.TEST_REDIS_URL!, CACHE_KEY_PREFIX: testKeyPrefix() });
  server = Bun.spawn(bunCommand(MAIN), {
    env: childEnv({
      ...env,
      HOST: "127.0.0.1",
      PORT: "0",
      BCRYPT_COST: "4",
      ADMIN_PASSWORD: "Ops-Password-123",
    }),
    stdout: "pipe",
    stderr: "pipe",
  });
  api = `${await listening(server)}/api/v1`;
});

afterAll(async () => {
  server?.kill("SIGTERM");
  await server?.exited;
});

async function login(email: string, password: string) {
  const res = await fetch(`${api}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, tenant: "umbrella" }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function me(token: string) {
  const res = await fetch(`${api}/users/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, code: ((await res.json()) as { code?: string }).code };
}

describe.skipIf(!shared)("a running API and saasctl on one database and Redis", () => {
  test("a CLI suspension refuses the tenant's users at once; activation lets them back", async () => {
    await saasctlJson(["tenants", "create", "--name", "Umbrella", "--slug", "umbrella"], env);
    const password = "Umbrella-Password-77";
    await saasctlJson(
      ["users", "create", "--tenant", "umbrella", "--email", "alice@umbrella.test", "--password", password],
      env,
    );
    const token = await login("alice@umbrella.test", password);
    expect(await me(token)).toEqual({ status: 200, code: undefined }); // the server now caches the tenant as active

    expect((await saasctl(["tenants", "suspend", "umbrella"], env)).code).toBe(0);
    expect(await me(token)).toEqual({ status: 403, code: "TENANT_INACTIVE" });

    expect((await saasctl(["tenants", "activate", "umbrella"], env)).code).toBe(0);
    expect(await me(token)).toEqual({ status: 200, code: undefined });
  });

  test("CLI revocations and deactivations end the user's sessions at once", async () => {
    const password = "Umbrella-Password-77";
    const token = await login("alice@umbrella.test", password);
    expect((await me(token)).status).toBe(200); // the server now caches the session as live
    expect(
      await saasctlJson(["users", "revoke-sessions", "--tenant", "umbrella", "alice@umbrella.test"], env),
    ).toEqual({
      revoked: 2,
    });
    expect(await me(token)).toEqual({ status: 401, code: "INVALID_TOKEN" });

    const again = await login("alice@umbrella.test", password);
    expect((await me(again)).status).toBe(200);
    await saasctlJson(["users", "deactivate", "--tenant", "umbrella", "alice@umbrella.test"], env);
    expect((await me(again)).status).toBe(401);
  });
});
