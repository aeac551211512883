import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { tenants } from "../../src/adapters/db/schema";
import { describeError } from "../../src/adapters/system/describe-error";
import { MAX_JSON_DEPTH } from "../../src/http/json-depth";
import { type TestApp, testApp } from "../support/app";
import { eventsOf } from "../support/audit";
import { bareApp } from "../support/bare-app";
import { recordingLogger } from "../support/logger";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
let root: Awaited<ReturnType<TestApp["platformAdmin"]>>;
let crew: Awaited<ReturnType<TestApp["team"]>>;
beforeAll(async () => {
  t = await testApp();
  root = await t.platformAdmin();
  crew = await t.team();
});

const JSON_HEADERS = { "content-type": "application/json" };
const deepArray = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

function send(method: string, path: string, rawBody: string, token?: string) {
  return t.call(method, path, { rawBody, token, headers: JSON_HEADERS });
}

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.body).toMatchObject({ status, code, requestId: res.headers.get("x-request-id") });
}

const failures = () => t.logger.lines.filter((line) => line.level === "error");

describe("deeply nested bodies", () => {
  test("a 5,000-deep array in a field is 400 JSON_TOO_DEEP without signing in, and nothing is logged as a failure", async () => {
    const before = failures().length;
    const res = await send("POST", "/api/v1/auth/login", `{"email":${deepArray(5_000)},"password":"x"}`);
    expectProblem(res, 400, "JSON_TOO_DEEP");
    expect(res.body.detail).toContain(String(MAX_JSON_DEPTH));
    expect(failures().length).toBe(before);
  });

  test("a 5,000-deep object in a signed-in write is refused before validation and changes nothing", async () => {
    const [before] = await t.db.select().from(tenants).where(eq(tenants.id, crew.tenant.id));
    const events = await eventsOf(t.db, crew.tenant.id, async () => {
      const res = await send(
        "PUT",
        `/api/v1/tenants/${crew.tenant.id}`,
        `{"name":"Renamed","settings":${deepObject(5_000)}}`,
        crew.admin.accessToken,
      );
      expectProblem(res, 400, "JSON_TOO_DEEP");
    });
    const [after] = await t.db.select().from(tenants).where(eq(tenants.id, crew.tenant.id));
    expect(after).toEqual(before!);
    expect(events).toEqual([]);
  });

  test("one level past the limit is refused at the door; a body at the limit reaches the route's own checks", async () => {
    const path = `/api/v1/tenants/${crew.tenant.id}`;
    const [before] = await t.db.select().from(tenants).where(eq(tenants.id, crew.tenant.id));
    // The body object and the settings object are two of the levels.
    const tooDeep = await send(
      "PUT",
      path,
      `{"settings":{"nested":${deepObject(MAX_JSON_DEPTH - 1)}}}`,
      crew.admin.accessToken,
    );
    expectProblem(tooDeep, 400, "JSON_TOO_DEEP");

    const atLimit = await send(
      "PUT",
      path,
      `{"settings":{"nested":${deepObject(MAX_JSON_DEPTH - 2)}}}`,
      crew.admin.accessToken,
    );
    expectProblem(atLimit, 422, "INVALID_SETTINGS");
    const [after] = await t.db.select().from(tenants).where(eq(tenants.id, crew.tenant.id));
    expect(after).toEqual(before!);
  });

  test("brackets inside strings do not count as nesting", async () => {
    const res = await send(
      "PUT",
      `/api/v1/tenants/${crew.tenant.id}`,
      JSON.stringify({ settings: { brackets: "[{".repeat(1_000), quoted: '\\"[[[' } }),
      crew.admin.accessToken,
    );
    expect(res.status).toBe(200);
    const [stored] = await t.db.select().from(tenants).where(eq(tenants.id, crew.tenant.id));
    expect(stored!.settings).toEqual({ brackets: "[{".repeat(1_000), quoted: '\\"[[[' });
  });
});

describe("characters no field accepts", () => {
  test("an unpaired surrogate is 400 INVALID_CHARACTER, not a database error, and nothing is stored", async () => {
    const [before] = await t.db.select().from(tenants).where(eq(tenants.id, crew.tenant.id));
    const failed = failures().length;
    for (const name of ['"\\ud800"', '"a\\udfffb"']) {
      const res = await send(
        "PUT",
        `/api/v1/tenants/${crew.tenant.id}`,
        `{"name":${name}}`,
        root.accessToken,
      );
      expectProblem(res, 400, "INVALID_CHARACTER");
    }
    const key = await send(
      "PUT",
      `/api/v1/tenants/${crew.tenant.id}`,
      '{"settings":{"\\udbff":1}}',
      root.accessToken,
    );
    expectProblem(key, 400, "INVALID_CHARACTER");
    const [after] = await t.db.select().from(tenants).where(eq(tenants.id, crew.tenant.id));
    expect(after).toEqual(before!);
    expect(failures().length).toBe(failed);
  });

  test("a surrogate pair (an emoji) is an ordinary character", async () => {
    const res = await send(
      "PUT",
      `/api/v1/tenants/${crew.tenant.id}`,
      '{"name":"Cake \\ud83c\\udf70"}',
      root.accessToken,
    );
    expect(res.status).toBe(200);
    const [stored] = await t.db.select().from(tenants).where(eq(tenants.id, crew.tenant.id));
    expect(stored!.name).toBe("Cake \u{1F370}");
  });
});

describe("no input gives a 5xx", () => {
  const HOSTILE: Record<string, string> = {
    "deep array": deepArray(5_000),
    "deep object": deepObject(5_000),
    "array one past the limit": deepArray(MAX_JSON_DEPTH + 1),
    "huge number": "1e400",
    "huge negative number": "-1e400",
    "long integer": "123456789012345678901234567890123456789",
    "tiny number": "1e-400",
    "lone high surrogate": '"\\ud800"',
    "lone low surrogate": '"a\\udfffb"',
    "surrogate key": '{"\\ud800":1}',
    NUL: '"\\u0000"',
    "very long key": `{"${"k".repeat(100_000)}":1}`,
    "very long string": `"${"x".repeat(500_000)}"`,
    BOM: '"\\ufeff"',
    "empty object": "{}",
    "empty array": "[]",
    null: "null",
    "negative number": "-1",
    fraction: "0.5",
    boolean: "true",
  };

  test("hostile values in every field of a few routes, signed in or not, are 4xx problems and log no failure", async () => {
    const { tenant, admin } = crew;
    const routes: { method: string; path: string; fields: Record<string, string>; token?: string }[] = [
      {
        method: "POST",
        path: "/api/v1/auth/login",
        fields: { email: '"a@example.com"', password: '"whatever-password"', tenant: `"${tenant.slug}"` },
      },
      {
        method: "POST",
        path: "/api/v1/auth/forgot-password",
        fields: { email: '"a@example.com"', tenant: `"${tenant.slug}"` },
      },
      { method: "POST", path: "/api/v1/auth/refresh", fields: { refreshToken: '"abc"' } },
      {
        method: "POST",
        path: "/api/v1/auth/reset-password",
        fields: { token: '"abc"', newPassword: '"Long-enough-pass-1"' },
      },
      {
        method: "PUT",
        path: `/api/v1/tenants/${tenant.id}`,
        fields: { name: '"Renamed"', settings: '{"a":1}' },
        token: root.accessToken,
      },
      {
        method: "POST",
        path: "/api/v1/users",
        fields: { email: '"fuzz@example.com"', password: '"Long-enough-pass-1"', role: '"member"' },
        token: admin.accessToken,
      },
      {
        method: "POST",
        path: "/api/v1/features",
        fields: { key: '"fuzz-flag"', enabled: "true" },
        token: admin.accessToken,
      },
      {
        method: "POST",
        path: "/api/v1/features/evaluate",
        fields: { context: '{"userId":"u1"}' },
        token: admin.accessToken,
      },
    ];
    const failed = failures().length;
    const fiveHundreds: string[] = [];
    const check = async (route: (typeof routes)[number], body: string, label: string) => {
      const res = await send(route.method, route.path, body, route.token);
      if (res.status >= 500 || res.headers.get("content-type") === null) fiveHundreds.push(label);
      if (res.status >= 400) expect(res.headers.get("content-type")).toBe("application/problem+json");
    };
    for (const route of routes) {
      const label = `${route.method} ${route.path}`;
      for (const field of Object.keys(route.fields)) {
        for (const [name, value] of Object.entries(HOSTILE)) {
          const members = Object.entries(route.fields).map(([k, v]) => `"${k}":${k === field ? value : v}`);
          await check(route, `{${members.join(",")}}`, `${label} ${field}: ${name}`);
        }
      }
      for (const [name, value] of Object.entries(HOSTILE))
        await check(route, value, `${label} body: ${name}`);
      const members = Object.entries(route.fields).map(([k, v]) => `"${k}":${v}`);
      await check(route, `{${members.join(",")},${members.join(",")}}`, `${label} duplicate keys`);
    }
    for (const query of [
      "/api/v1/users?limit=1e400",
      "/api/v1/users?email=%ED%A0%80",
      "/api/v1/users?email=%ZZ",
      `/api/v1/users?cursor=${"A".repeat(5_000)}`,
      "/api/v1/users/%ZZ",
      "/api/v1/tenants/%F0%9F",
      "/api/v1/audit/logs?from=99999-01-01",
    ]) {
      const res = await t.call("GET", query, { token: admin.accessToken });
      if (res.status >= 500) fiveHundreds.push(`GET ${query}`);
    }
    expect(fiveHundreds).toEqual([]);
    expect(failures().slice(failed)).toEqual([]);
  }, 60_000);
});

describe("an unexpected error", () => {
  test("is logged with its real class and message, not as a database error, and the client sees neither", async () => {
    const logger = recordingLogger();
    const app = bareApp({
      logger,
      newId: () => "req-range",
      describeError,
      useCases: {
        ...t.useCases,
        login: async () => {
          throw new RangeError("Maximum call stack size exceeded.");
        },
      },
    });
    const response = await app.handle(
      new Request("http://localhost/api/v1/auth/login", {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify({ email: "a@example.com", password: "whatever", tenant: crew.tenant.slug }),
      }),
    );
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toMatchObject({ code: "INTERNAL_ERROR", requestId: "req-range" });
    expect(text).not.toMatch(/RangeError|Maximum call stack|at /);
    const line = logger.lines.find((l) => l.event === "request.failed");
    expect(line).toEqual({
      level: "error",
      event: "request.failed",
      fields: {
        requestId: "req-range",
        route: "/api/v1/auth/login",
        error: "RangeError",
        cause: "RangeError: Maximum call stack size exceeded.",
      },
    });
  });
});
