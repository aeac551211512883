import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { featureFlags, tenants } from "../../src/adapters/db/schema";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const ROOT = join(import.meta.dir, "../..");

/**
 * A client a team would write against the generated types, with openapi-fetch: sign in, read the
 * signed-in user, create a tenant, create a flag and evaluate it. Typechecked as it is, then run.
 */
const CLIENT_PROGRAM = `import createClient from "openapi-fetch";
import type { paths } from "./schema";

export interface Tour {
  email: string;
  tenantId: string;
  flagId: string;
  enabled: boolean;
}

export async function tour(
  fetch: (request: Request) => Promise<Response>,
  signIn: { email: string; password: string },
  names: { slug: string; flagKey: string },
): Promise<Tour> {
  const api = createClient<paths>({ baseUrl: "http://localhost", fetch });

  const tokens = await api.POST("/api/v1/auth/login", {
    body: { email: signIn.email, password: signIn.password, tenant: "platform" },
  });
  if (!tokens.data) throw new Error(\`sign-in refused: \${tokens.error?.code}\`);
  if ("mfaToken" in tokens.data) throw new Error("this account signs in with a second factor");
  const headers = { authorization: \`Bearer \${tokens.data.accessToken}\` };
  const expiresIn: number = tokens.data.expiresIn;
  if (expiresIn <= 0) throw new Error("the access token has no lifetime");

  const me = await api.GET("/api/v1/users/me", { headers });
  if (!me.data) throw new Error(\`/users/me refused: \${me.error?.code}\`);

  const tenant = await api.POST("/api/v1/tenants", {
    headers,
    body: { name: "Generated client", slug: names.slug, plan: "free" },
  });
  if (!tenant.data) throw new Error(\`tenant refused: \${tenant.error?.code}\`);

  const flag = await api.POST("/api/v1/features", {
    headers,
    body: { key: names.flagKey, enabled: true, strategies: [{ name: "default" }] },
  });
  if (!flag.data) throw new Error(\`flag refused: \${flag.error?.code}\`);
  const version: number = flag.data.version;

  const evaluation = await api.POST("/api/v1/features/evaluate", {
    headers,
    body: { key: flag.data.key, context: { userId: me.data.id } },
  });
  if (!evaluation.data) throw new Error(\`evaluation refused: \${evaluation.error?.code}\`);
  const [result] = evaluation.data.items;
  if (!result || version < 1) throw new Error("no evaluation");

  return { email: me.data.email, tenantId: tenant.data.id, flagId: flag.data.id, enabled: result.enabled };
}
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ESNext",
    module: "Preserve",
    moduleResolution: "bundler",
    lib: ["ESNext", "DOM"],
    types: [],
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
  },
  files: ["program.ts", "schema.d.ts"],
};

/**
 * openapi-typescript 7 builds its output with TypeScript 5's compiler API, which the repository's
 * TypeScript 7 (the Go port) does not offer: its `typescript` import is given TypeScript 5, installed
 * beside it as `typescript-5`. Nothing else in this process loads `typescript`.
 */
async function loadOpenApiTypescript() {
  const typescript = Bun.resolveSync("typescript", ROOT);
  Bun.plugin({
    name: "openapi-typescript uses TypeScript 5",
    setup(build) {
      build.onLoad({ filter: new RegExp(`^${typescript.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`) }, () => ({
        contents: 'import ts from "typescript-5"; export default ts; export * from "typescript-5";',
        loader: "js",
      }));
    },
  });
  return import("openapi-typescript");
}

let t: TestApp;
/** Inside node_modules, so the program resolves openapi-fetch as a project file would. */
let dir: string;

beforeAll(async () => {
  t = await testApp();
  mkdirSync(join(ROOT, "node_modules/.cache"), { recursive: true });
  dir = mkdtempSync(join(ROOT, "node_modules/.cache/openapi-client-"));
  const document = (await t.call("GET", "/openapi.json")).body;
  const { default: openapiTS, astToString } = await loadOpenApiTypescript();
  await Bun.write(join(dir, "schema.d.ts"), astToString(await openapiTS(document)));
  await Bun.write(join(dir, "program.ts"), CLIENT_PROGRAM);
  await Bun.write(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a client generated from /openapi.json (openapi-typescript + openapi-fetch)", () => {
  test("typechecks as written, with no hand fixes", async () => {
    const tsc = Bun.spawn([process.execPath, join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], {
      stdout: "pipe",
      stderr: "pipe",
    });
    const output = (await new Response(tsc.stdout).text()) + (await new Response(tsc.stderr).text());
    expect(output).toBe("");
    expect(await tsc.exited).toBe(0);
  });

  test("signs in, reads /users/me, creates a tenant and a flag and evaluates it against the app", async () => {
    const admin = await t.platformAdmin();
    const { tour } = await import(join(dir, "program.ts"));
    const names = { slug: t.unique("generated"), flagKey: t.unique("generated-flag") };
    const signIn = { email: admin.email, password: TEST_PASSWORD };
    const result = await tour((request: Request) => t.app.handle(request), signIn, names);

    expect(result).toMatchObject({ email: admin.email, enabled: true });
    const [tenant] = await t.db.select().from(tenants).where(eq(tenants.id, result.tenantId));
    expect(tenant?.slug).toBe(names.slug);
    const [flag] = await t.db.select().from(featureFlags).where(eq(featureFlags.id, result.flagId));
    expect(flag?.key).toBe(names.flagKey);
  });
});
