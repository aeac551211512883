import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../src/adapters/db/schema";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { bareApp } from "../support/bare-app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ env: { MAX_BODY_BYTES: "2048" } });
});

const LOGIN = "/api/v1/auth/login";

describe("request bodies are JSON only", () => {
  test("an HTML form post to login is 415 (no login CSRF) and issues no token", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const form = new URLSearchParams({
      email: user.email,
      password: TEST_PASSWORD,
      tenant: tenant.slug,
    }).toString();
    const res = await t.call("POST", LOGIN, {
      rawBody: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(JSON.stringify(res.body)).not.toContain("accessToken");
  });

  test("text/plain and multipart bodies are 415 too", async () => {
    for (const type of ["text/plain", "multipart/form-data; boundary=x"]) {
      const res = await t.call("POST", LOGIN, { rawBody: "{}", headers: { "content-type": type } });
      expect(res.status).toBe(415);
    }
  });

  test("a big chunked body that is not JSON is refused without being read as valid input", async () => {
    const chunk = new TextEncoder().encode("x".repeat(1024));
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 64; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await t.call("POST", LOGIN, { rawBody: stream, headers: { "content-type": "text/plain" } });
    expect([413, 415]).toContain(res.status);
  });

  test("the JSON media type is matched case-insensitively, with parameters and +json suffixes", async () => {
    for (const type of ["Application/JSON", "application/json; charset=utf-8", "application/problem+json"]) {
      const res = await t.call("POST", LOGIN, {
        rawBody: '{"email":"x"}',
        headers: { "content-type": type },
      });
      expect(res.status).toBe(422);
    }
  });
});

describe("NUL characters", () => {
  test("in a JSON body or the query string they are 400 INVALID_CHARACTER, not a database error", async () => {
    const res = await t.call("POST", "/api/v1/auth/login", {
      body: { email: "a@example.com", password: "p\u0000w" },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_CHARACTER");
    const query = await t.call("GET", "/api/v1/auth/verify-email?token=a%00b");
    expect(query.body.code).toBe("INVALID_CHARACTER");
  });
});

describe("X-Tenant", () => {
  test("a value that is not a slug is 404 without a lookup", async () => {
    const res = await t.call("POST", LOGIN, {
      body: { email: "a@example.com", password: "x" },
      headers: { "x-tenant": "../../etc/passwd" },
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("TENANT_NOT_FOUND");
  });
});

describe("client IP behind a proxy", () => {
  /** The app on a real socket (app.handle has no peer address), sending one failed login. */
  async function failedLoginThroughSocket(env: Record<string, string>, forwardedFor: string) {
    const app = await testApp({ env });
    const tenant = await app.createTenant();
    const user = await app.createUser(tenant.id);
    const server = app.app.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      await fetch(`http://127.0.0.1:${server.server!.port}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
        body: JSON.stringify({ email: user.email, password: "Wrong-Password-1", tenant: tenant.slug }),
      });
    } finally {
      await server.stop();
    }
    const [event] = await app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "auth.login.failed")));
    return event!.ip;
  }

  test("from a trusted proxy, the client is the first untrusted address from the right", async () => {
    expect(await failedLoginThroughSocket({ TRUSTED_PROXIES: "127.0.0.1" }, "6.6.6.6, 203.0.113.9")).toBe(
      "203.0.113.9",
    );
  });

  test("without trusted proxies, X-Forwarded-For is ignored", async () => {
    expect(await failedLoginThroughSocket({}, "203.0.113.9")).toBe("127.0.0.1");
  });
});

describe("a response that breaks its own schema", () => {
  test("is our bug: a 500 that names no field", async () => {
    const principal = { userId: "u", tenantId: "t", sessionId: "s", role: "member" as const };
    const app = bareApp({
      useCases: {
        ...t.useCases,
        authenticate: async () => principal,
        tenants: {
          ...t.useCases.tenants,
          activeById: async () => ({ id: "t", slug: "acme", name: "A", plan: "free", status: "active" }),
        },
        getCurrentUser: async () => ({
          id: "not-a-uuid",
          tenantId: "t",
          email: "a@example.com",
          firstName: null,
          lastName: null,
          role: "member",
          isActive: true,
          emailVerifiedAt: null,
          lastLoginAt: null,
          createdAt: new Date(),
          updatedAt: new Date(),
        }),
      },
    });
    const res = await app.handle(
      new Request("http://localhost/api/v1/users/me", { headers: { authorization: "Bearer a.b.c" } }),
    );
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text).code).toBe("INTERNAL_ERROR");
    expect(text).not.toContain("response.");
  });
});

describe("GET /metrics with METRICS_TOKEN", () => {
  test("answers only requests bearing the token", async () => {
    const app = bareApp({ http: { metricsToken: "metrics-token-0123456789" }, useCases: t.useCases });
    const get = (authorization?: string) =>
      app.handle(
        new Request("http://localhost/metrics", { headers: authorization ? { authorization } : {} }),
      );
    expect((await get()).status).toBe(401);
    expect((await get("Bearer wrong-token-0123456789x")).status).toBe(401);
    expect((await get("Bearer metrics-token-0123456789")).status).toBe(200);
  });
});
