import { beforeAll, describe, expect, test } from "bun:test";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { eventsAfter, lastSeq } from "../support/audit";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

/** The request log line of the request sent with `requestId`. */
const requestLine = (requestId: string) =>
  t.logger.waitFor((line) => line.event === "http.request" && line.fields.requestId === requestId);

describe("the request log reads who called from the route's resolved context", () => {
  test("a signed-in call is logged with the caller and the tenant acted on", async () => {
    const { tenant, member } = await t.team();
    await t.call("GET", "/api/v1/users/me", {
      token: member.accessToken,
      headers: { "x-request-id": "log-me-1" },
    });
    expect((await requestLine("log-me-1"))?.fields).toMatchObject({
      route: "/api/v1/users/me",
      status: 200,
      tenantId: tenant.id,
      userId: member.id,
    });
  });

  test("a refused permission is logged with its status and the caller, and audited in the caller's name", async () => {
    const { tenant, member } = await t.team();
    const mark = await lastSeq(t.db, tenant.id);
    const res = await t.call("GET", "/api/v1/tenants", {
      token: member.accessToken,
      headers: { "x-request-id": "log-denied-1" },
    });
    expect(res.body.code).toBe("FORBIDDEN");
    expect((await requestLine("log-denied-1"))?.fields).toMatchObject({
      status: 403,
      tenantId: tenant.id,
      userId: member.id,
    });
    const denials = (await eventsAfter(t.db, tenant.id, mark)).filter((e) => e.action === "access.denied");
    expect(denials).toEqual([
      expect.objectContaining({
        actorId: member.id,
        requestId: "log-denied-1",
        resourceId: "GET /api/v1/tenants",
        metadata: expect.objectContaining({ code: "FORBIDDEN" }),
      }),
    ]);
  });

  test("a sign-in is logged with the tenant it chose and no user", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const res = await t.call("POST", "/api/v1/auth/login", {
      body: { email: user.email, password: TEST_PASSWORD, tenant: tenant.slug },
      headers: { "x-request-id": "log-login-1" },
    });
    expect(res.status).toBe(200);
    expect((await requestLine("log-login-1"))?.fields).toMatchObject({
      status: 200,
      tenantId: tenant.id,
      userId: null,
    });
  });
});

describe("the request log line of a failure carries its problem code", () => {
  test.each([
    ["an unknown route", "GET", "/api/v1/no-such-thing", undefined, 404, "ROUTE_NOT_FOUND"],
    ["no bearer token", "GET", "/api/v1/users/me", undefined, 401, "INVALID_TOKEN"],
    ["a body that fails the schema", "POST", "/api/v1/auth/login", { email: 1 }, 422, "VALIDATION_FAILED"],
  ] as const)(
    "%s: the line has the status and the code the client got",
    async (_, method, path, body, status, code) => {
      const requestId = `log-code-${status}`;
      const res = await t.call(method, path, { body, headers: { "x-request-id": requestId } });
      expect([res.status, res.body.code]).toEqual([status, code]);
      const line = await requestLine(requestId);
      expect(line?.level).toBe("info");
      expect(line?.fields).toMatchObject({ status, code });
    },
  );

  test("a success has no code", async () => {
    await t.call("GET", "/health", { headers: { "x-request-id": "log-no-code" } });
    expect((await requestLine("log-no-code"))?.fields).not.toHaveProperty("code");
  });
});

describe("health probes", () => {
  test.each(["/health", "/health/ready"])(
    "GET %s is logged at debug, so probes do not flood the info log",
    async (path) => {
      const requestId = `log-probe-${path.replaceAll("/", "-")}`;
      await t.call("GET", path, { headers: { "x-request-id": requestId } });
      expect(await requestLine(requestId)).toMatchObject({
        level: "debug",
        fields: { route: path, status: 200 },
      });
    },
  );
});
