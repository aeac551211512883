import { beforeAll, describe, expect, test } from "bun:test";
import { dirname } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { OPENAPI_DOCUMENT_PATH, renderOpenApiDocument } from "../../scripts/openapi";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { issueEveryLink, useLinks } from "../support/one-time-links";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

type Json = Record<string, any>;
const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

let t: TestApp;
/** The document as the app served it to its first request, before any other route ran. */
let first: Json;
let committed: string;

beforeAll(async () => {
  // Every optional route on, as the committed document describes them all.
  t = await testApp({ env: { SIGNUP_ENABLED: "true" } });
  first = (await t.call("GET", "/openapi.json")).body;
  committed = await Bun.file(OPENAPI_DOCUMENT_PATH).text();
});

function operations(document: Json): [string, Json][] {
  return Object.entries(document.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]): [string, Json] => [`${method.toUpperCase()} ${path}`, operation]),
  );
}

function responses(document: Json): [string, Json][] {
  return operations(document).flatMap(([name, operation]) =>
    Object.entries(operation.responses as Json).map(([status, response]): [string, Json] => [
      `${name} ${status}`,
      response,
    ]),
  );
}

/** Every schema-like object in the document, with its location. */
function schemaObjects(node: unknown, at = "#"): [string, Json][] {
  if (!node || typeof node !== "object") return [];
  const entries = Object.entries(node as Json);
  return [[at, node as Json], ...entries.flatMap(([key, value]) => schemaObjects(value, `${at}/${key}`))];
}

/** Signs in, reads, creates, evaluates, revokes and redeems links: every route whose schema Elysia compiles. */
async function exerciseTheApi() {
  const admin = await t.platformAdmin();
  const token = admin.accessToken;
  const expectStatus = async (status: number, ...call: Parameters<TestApp["call"]>) =>
    expect((await t.call(...call)).status).toBe(status);
  await expectStatus(200, "GET", "/health");
  await expectStatus(200, "GET", "/health/ready");
  await expectStatus(200, "GET", "/metrics");
  await expectStatus(200, "GET", "/api/v1/users/me", { token });
  await expectStatus(200, "GET", "/api/v1/users?limit=5", { token });
  await expectStatus(201, "POST", "/api/v1/tenants", {
    token,
    body: { name: "Document", slug: t.unique("doc") },
  });
  const key = t.unique("doc-flag");
  await expectStatus(201, "POST", "/api/v1/features", { token, body: { key, enabled: true } });
  await expectStatus(200, "POST", "/api/v1/features/evaluate", { token, body: { key } });
  await expectStatus(200, "GET", "/api/v1/audit/logs?limit=2", { token });
  await expectStatus(200, "GET", "/api/v1/audit/export", { token });
  const team = await t.team();
  await expectStatus(200, "DELETE", `/api/v1/users/${team.member.id}/sessions`, {
    token: team.admin.accessToken,
  });
  const links = await issueEveryLink(t, team.guest);
  const answers = await useLinks(t, {
    email_verification: links.email_verification,
    email_change: links.email_change,
  });
  expect(answers).toMatchObject({ email_verification: { status: 200 }, email_change: { status: 200 } });
  await expectStatus(401, "POST", "/api/v1/auth/login", {
    body: { email: team.guest.email, password: `${TEST_PASSWORD}-wrong` },
  });
}

describe("the OpenAPI document", () => {
  test("the committed openapi.json is the document the code serves", async () => {
    const rendered = await renderOpenApiDocument();
    if (rendered !== committed) {
      throw new Error(
        "openapi.json differs from the document the code serves: run `bun run openapi` and commit it.",
      );
    }
    expect(first).toEqual(JSON.parse(committed));
  });

  test("is the same before and after traffic, in this app and in a document rendered afterwards", async () => {
    await exerciseTheApi();
    const after = (await t.call("GET", "/openapi.json")).body;
    expect(after).toEqual(first);
    // A new app shares the route schemas: a validator that changed one would show here.
    expect(await renderOpenApiDocument()).toBe(committed);
  });

  test("is valid for swagger-parser", async () => {
    // validate() dereferences the document it is given, so it gets a copy.
    await SwaggerParser.validate(structuredClone(first) as never);
  });

  test("passes redocly lint with the recommended rules: no error, no warning", async () => {
    const lint = Bun.spawn(
      [
        process.execPath,
        "node_modules/@redocly/cli/bin/cli.js",
        "lint",
        OPENAPI_DOCUMENT_PATH,
        "--format=json",
      ],
      {
        // redocly.yaml and .redocly.lint-ignore.yaml are read from the working directory.
        cwd: dirname(OPENAPI_DOCUMENT_PATH),
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    const report = JSON.parse(await new Response(lint.stdout).text());
    const problems = report.problems.map(
      (p: Json) => `${p.ruleId} ${p.location?.[0]?.pointer}: ${p.message}`,
    );
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(await lint.exited).toBe(0);
  });

  test("operationIds are unique camelCase words", () => {
    const ids = operations(first).map(([, operation]) => operation.operationId);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(first.paths["/api/v1/auth/forgot-password"].post.operationId).toBe("postAuthForgotPassword");
    expect(first.paths["/api/v1/users/{id}/sessions/{sessionId}"].delete.operationId).toBe(
      "deleteUsersByIdSessionsBySessionId",
    );
  });

  test("every operation declares its security: the bearer token, or none for public ones", () => {
    const undeclared = operations(first).filter(([, operation]) => !Array.isArray(operation.security));
    expect(undeclared.map(([name]) => name)).toEqual([]);
    expect(first.paths["/api/v1/auth/login"].post.security).toEqual([]);
    expect(first.paths["/health"].get.security).toEqual([]);
    expect(first.paths["/api/v1/users/me"].get.security).toEqual([{ bearerAuth: [] }]);
  });

  test("204 responses have no content", () => {
    const noContent = responses(first).filter(([name]) => name.endsWith(" 204"));
    expect(noContent.length).toBeGreaterThanOrEqual(8);
    expect(noContent.filter(([, response]) => "content" in response).map(([name]) => name)).toEqual([]);
  });

  test("problems are application/problem+json, as the app sends them", async () => {
    const problemResponses = responses(first).filter(([name]) => /\s[45]\d\d$/.test(name));
    expect(problemResponses.length).toBeGreaterThan(100);
    const notProblems = problemResponses.filter(
      ([, response]) => Object.keys(response.content).join() !== "application/problem+json",
    );
    // Readiness reports each check when it fails too; the pages a mailed link opens say what is wrong
    // with the link as a page.
    expect(notProblems.map(([name, response]) => `${name} ${Object.keys(response.content)}`)).toEqual([
      "GET /health/ready 503 application/json",
      "GET /api/v1/auth/verify-email 400 text/html",
      "GET /api/v1/auth/confirm-email-update 400 text/html",
    ]);

    const served = await t.call("GET", "/api/v1/users/me");
    expect(served.status).toBe(401);
    expect(served.headers.get("content-type")).toStartWith("application/problem+json");
  });

  test("the audit export is application/x-ndjson, as the app sends it", async () => {
    const content = first.paths["/api/v1/audit/export"].get.responses["200"].content;
    expect(Object.keys(content)).toEqual(["application/x-ndjson"]);
    const admin = await t.platformAdmin();
    const served = await t.call("GET", "/api/v1/audit/export", { token: admin.accessToken });
    expect(served.headers.get("content-type")).toBe("application/x-ndjson");
  });

  test("integers are integers: no field is `string | integer`", () => {
    const textOrInteger = schemaObjects(first).filter(
      ([, schema]) =>
        Array.isArray(schema.anyOf) && schema.anyOf.some((branch: Json) => branch?.format === "integer"),
    );
    expect(textOrInteger.map(([at]) => at)).toEqual([]);
    expect(first.components.schemas.TokenPair.properties.expiresIn.type).toBe("integer");
    const limit = first.paths["/api/v1/users"].get.parameters.find((p: Json) => p.name === "limit");
    expect(limit.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 200 });
  });

  test("an integer query parameter still arrives as text and is read as an integer", async () => {
    const admin = await t.platformAdmin();
    const page = await t.call("GET", "/api/v1/users?limit=1", { token: admin.accessToken });
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    const decimal = await t.call("GET", "/api/v1/users?limit=1.5", { token: admin.accessToken });
    expect(decimal.status).toBe(422);
  });
});

describe("route schemas the document shares with validators", () => {
  // Elysia writes `additionalProperties` into a top-level object schema that has none when it first
  // compiles the route's validator; the document would change with traffic.
  test("every object body and response schema of a route states additionalProperties", () => {
    const models = (t.app as unknown as { definitions: { type: Json } }).definitions.type;
    const silent: string[] = [];
    for (const route of t.app.routes) {
      const response = route.hooks?.response as Json | string | undefined;
      const responses: Json =
        !response || typeof response === "string" || response.type ? { 200: response } : response;
      const schemas = Object.entries({ body: route.hooks?.body, ...responses });
      for (const [part, named] of schemas) {
        const schema = typeof named === "string" ? models[named] : named;
        if (schema?.type === "object" && !("additionalProperties" in schema)) {
          silent.push(`${route.method} ${route.path} ${part}`);
        }
      }
    }
    expect(silent).toEqual([]);
  });
});
