import { beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
let root: { accessToken: string };
beforeAll(async () => {
  t = await testApp();
  root = await t.platformAdmin();
});

type Team = Awaited<ReturnType<TestApp["team"]>>;

async function keyOf(team: Team, kind: "api" | "client" | "frontend", extra: Record<string, unknown> = {}) {
  const body = {
    name: `${kind} key`,
    kind,
    ...(kind === "api" ? { permissions: ["flags:read"] } : {}),
    ...extra,
  };
  const res = await t.call("POST", "/api/v1/api-keys", { token: team.admin.accessToken, body });
  if (res.status !== 201) throw new Error(`key: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.secret as string;
}

async function flagOf(token: string, body: Record<string, unknown>) {
  const res = await t.call("POST", "/api/v1/features", { token, body });
  if (res.status !== 201) throw new Error(`flag: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; key: string };
}

/** An Unleash SDK's call: the bare key in Authorization. */
const sdk = (
  key: string,
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) => t.call(method, path, { ...init, headers: { authorization: key, ...init.headers } });

const names = (body: { features?: { name: string }[]; toggles?: { name: string }[] }) =>
  (body.features ?? body.toggles ?? []).map((f) => f.name);

describe("GET /api/client/features", () => {
  test("answers Unleash's format with the tenant's flags and the platform-wide ones it does not override; Bearer works too", async () => {
    const team = await t.team();
    const shared = t.unique("platform");
    const overridden = t.unique("overridden");
    await flagOf(root.accessToken, { key: shared, enabled: true, platform: true });
    await flagOf(root.accessToken, { key: overridden, enabled: true, platform: true });
    const own = await flagOf(team.admin.accessToken, {
      key: overridden,
      enabled: false,
      strategies: [
        { name: "flexibleRollout", parameters: { rollout: 30, stickiness: "default", groupId: "g" } },
      ],
    });
    const key = await keyOf(team, "client");

    const res = await sdk(key, "GET", "/api/client/features");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.body.version).toBe(2);
    expect(Array.isArray(res.body.segments)).toBe(true);
    expect(names(res.body)).toContain(shared);
    const mine = res.body.features.filter((f: { name: string }) => f.name === overridden);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      name: own.key,
      enabled: false,
      strategies: [
        { name: "flexibleRollout", parameters: { rollout: "30", stickiness: "default", groupId: "g" } },
      ],
    });
    expect(
      (await t.call("GET", "/api/client/features", { headers: { authorization: `Bearer ${key}` } })).status,
    ).toBe(200);
  });

  test("an ETag; If-None-Match gives 304 until a flag changes, and the change is in the next poll", async () => {
    const team = await t.team();
    const flag = await flagOf(team.admin.accessToken, { key: t.unique("etagged"), enabled: false });
    const key = await keyOf(team, "client");
    const first = await sdk(key, "GET", "/api/client/features");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^".+"$/);
    const again = await sdk(key, "GET", "/api/client/features", { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");

    expect(
      (
        await t.call("PUT", `/api/v1/features/${flag.id}`, {
          token: team.admin.accessToken,
          body: { enabled: true },
        })
      ).status,
    ).toBe(200);
    const changed = await sdk(key, "GET", "/api/client/features", { headers: { "if-none-match": etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(changed.body.features.find((f: { name: string }) => f.name === flag.key).enabled).toBe(true);
  });

  test("attackers: no key or an unknown key is 401; a frontend or API key is 403 API_KEY_KIND; another tenant's flags never appear", async () => {
    const team = await t.team();
    const other = await t.team();
    const secret = t.unique("other-tenant-secret");
    await flagOf(other.admin.accessToken, { key: secret, enabled: true });
    expect((await t.call("GET", "/api/client/features")).status).toBe(401);
    expect((await sdk("ck_notarealkey0000000000000000000000000", "GET", "/api/client/features")).status).toBe(
      401,
    );
    for (const kind of ["frontend", "api"] as const) {
      const res = await sdk(await keyOf(team, kind), "GET", "/api/client/features");
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("API_KEY_KIND");
    }
    const res = await sdk(await keyOf(team, "client"), "GET", "/api/client/features", {
      headers: { "x-tenant": other.tenant.slug },
    });
    expect(res.status).toBe(200);
    expect(names(res.body)).not.toContain(secret);
  });
});

describe("POST /api/client/register and /api/client/metrics", () => {
  test("are accepted with 202, as Unleash accepts them, extra SDK fields included", async () => {
    const key = await keyOf(await t.team(), "client");
    const register = await sdk(key, "POST", "/api/client/register", {
      body: {
        appName: "billing",
        instanceId: "i-1",
        sdkVersion: "unleash-client-node:6.12.1",
        strategies: ["default", "flexibleRollout"],
        started: new Date().toISOString(),
        interval: 15000,
        connectionId: "c-1",
        platformName: "bun",
      },
    });
    expect(register.status).toBe(202);
    const metrics = await sdk(key, "POST", "/api/client/metrics", {
      body: {
        appName: "billing",
        instanceId: "i-1",
        bucket: { start: new Date().toISOString(), stop: new Date().toISOString(), toggles: {} },
      },
    });
    expect(metrics.status).toBe(202);
    expect(
      (await sdk(key, "POST", "/api/client/register", { body: { instanceId: "no app name" } })).status,
    ).toBe(422);
  });

  test("an SDK's counts are stored for the tenant's own flags only: invented names and other tenants' keys are ignored", async () => {
    const team = await t.team();
    const other = await t.team();
    const flag = await flagOf(team.admin.accessToken, { key: t.unique("counted"), enabled: true });
    const theirs = await flagOf(other.admin.accessToken, { key: t.unique("theirs"), enabled: true });
    const key = await keyOf(team, "client");
    const res = await sdk(key, "POST", "/api/client/metrics", {
      body: {
        appName: "billing",
        bucket: {
          start: new Date().toISOString(),
          stop: new Date().toISOString(),
          toggles: {
            [flag.key]: { yes: 7, no: 3, variants: { blue: 2 } },
            [theirs.key]: { yes: 1000, no: 0 },
            invented: { yes: 5, no: 5 },
          },
        },
      },
    });
    expect(res.status).toBe(202);
    await t.useCases.flagMetrics.flush();
    const mine = await t.call("GET", `/api/v1/features/${flag.id}/metrics`, {
      token: team.admin.accessToken,
    });
    expect(mine.body.hours.reduce((sum: number, h: { yes: number }) => sum + h.yes, 0)).toBe(7);
    expect(mine.body.hours.reduce((sum: number, h: { no: number }) => sum + h.no, 0)).toBe(3);
    const theirsRead = await t.call("GET", `/api/v1/features/${theirs.id}/metrics`, {
      token: other.admin.accessToken,
    });
    expect(theirsRead.body.hours).toEqual([]);
  });
});

describe("the frontend API", () => {
  async function frontendSetup(allowedOrigins: string[] = []) {
    const team = await t.team();
    const on = await flagOf(team.admin.accessToken, {
      key: t.unique("on"),
      enabled: true,
      strategies: [{ name: "default" }],
      variants: [{ name: "blue", weight: 1000, payload: { type: "string", value: "b" } }],
    });
    const off = await flagOf(team.admin.accessToken, { key: t.unique("off"), enabled: false });
    const forNo = await flagOf(team.admin.accessToken, {
      key: t.unique("country"),
      enabled: true,
      strategies: [
        { name: "default", constraints: [{ contextName: "country", operator: "IN", values: ["NO"] }] },
      ],
    });
    const admins = await flagOf(team.admin.accessToken, {
      key: t.unique("admins"),
      enabled: true,
      strategies: [
        { name: "default", constraints: [{ contextName: "role", operator: "IN", values: ["admin"] }] },
      ],
    });
    const key = await keyOf(team, "frontend", { allowedOrigins });
    return { team, on, off, forNo, admins, key };
  }

  test("GET with query context and POST with {context} answer enabled toggles only, in Unleash's shape", async () => {
    const { on, off, forNo, key } = await frontendSetup();
    const get = await sdk(key, "GET", "/api/frontend?appName=web&userId=u1&properties%5Bcountry%5D=NO");
    expect(get.status).toBe(200);
    expect(get.body.toggles).toContainEqual({
      name: on.key,
      enabled: true,
      variant: { name: "blue", enabled: true, payload: { type: "string", value: "b" } },
      impressionData: false,
    });
    expect(names(get.body)).toContain(forNo.key);
    expect(names(get.body)).not.toContain(off.key);
    for (const toggle of get.body.toggles)
      expect(Object.keys(toggle).sort()).toEqual(["enabled", "impressionData", "name", "variant"]);

    const post = await sdk(key, "POST", "/api/frontend", {
      body: { context: { userId: "u1", properties: { country: "SE" } } },
    });
    expect(post.status).toBe(200);
    expect(names(post.body)).toContain(on.key);
    expect(names(post.body)).not.toContain(forNo.key);
  });

  test("attackers: a client or API key is 403; another tenant's flags never show; a role property cannot pass for the server's role; a bad context is 422", async () => {
    const { team, admins, key } = await frontendSetup();
    for (const kind of ["client", "api"] as const) {
      const res = await sdk(await keyOf(team, kind), "GET", "/api/frontend");
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("API_KEY_KIND");
    }
    const other = await t.team();
    const theirs = await flagOf(other.admin.accessToken, { key: t.unique("theirs"), enabled: true });
    const mine = await sdk(key, "GET", "/api/frontend", { headers: { "x-tenant": other.tenant.slug } });
    expect(mine.status).toBe(200);
    expect(names(mine.body)).not.toContain(theirs.key);
    const forged = await sdk(key, "GET", "/api/frontend?properties%5Brole%5D=admin&role=admin");
    expect(names(forged.body)).not.toContain(admins.key);
    const bad = await sdk(key, "GET", "/api/frontend?currentTime=yesterday");
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe("INVALID_CONTEXT");
    expect((await t.call("GET", "/api/frontend")).status).toBe(401);
  });

  test("CORS: a preflight from any origin may send the SDK's headers; the answer is for the key's origins only", async () => {
    const { key, on } = await frontendSetup(["https://shop.example.com"]);
    const preflight = await t.call("OPTIONS", "/api/frontend", {
      headers: {
        origin: "https://elsewhere.example.org",
        "access-control-request-method": "GET",
        "access-control-request-headers":
          "authorization,unleash-sdk,unleash-appname,unleash-connection-id,if-none-match",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://elsewhere.example.org");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("unleash-connection-id");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();

    const allowed = await sdk(key, "GET", "/api/frontend", {
      headers: { origin: "https://shop.example.com" },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    expect(names(allowed.body)).toContain(on.key);

    const elsewhere = await sdk(key, "GET", "/api/frontend", {
      headers: { origin: "https://elsewhere.example.org" },
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.code).toBe("ORIGIN_NOT_ALLOWED");
    expect(elsewhere.headers.get("access-control-allow-origin")).toBeNull();
    const metrics = await sdk(key, "POST", "/api/frontend/client/metrics", {
      headers: { origin: "https://elsewhere.example.org" },
      body: { appName: "web", bucket: { toggles: { [on.key]: { yes: 1, no: 0 } } } },
    });
    expect(metrics.status).toBe(403);
  });

  test("the browser SDK's metrics are accepted with 202 and counted", async () => {
    const { team, on, key } = await frontendSetup();
    const res = await sdk(key, "POST", "/api/frontend/client/metrics", {
      body: {
        appName: "web",
        instanceId: "browser",
        bucket: {
          start: new Date().toISOString(),
          stop: new Date().toISOString(),
          toggles: { [on.key]: { yes: 4, no: 1, variants: { blue: 4 } } },
        },
        impactMetrics: [],
      },
    });
    expect(res.status).toBe(202);
    await t.useCases.flagMetrics.flush();
    const read = await t.call("GET", `/api/v1/features/${on.id}/metrics`, { token: team.admin.accessToken });
    const hours = read.body.hours as { yes: number; no: number; variants: Record<string, number> }[];
    expect(hours.reduce((sum, h) => sum + h.yes, 0)).toBe(4);
    expect(hours.reduce((sum, h) => sum + (h.variants.blue ?? 0), 0)).toBe(4);
  });
});
