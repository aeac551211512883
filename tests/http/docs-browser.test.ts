import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

// /docs opened in a real browser: Swagger UI renders the operations from the app's own assets, under
// the page's Content-Security-Policy, without a request leaving the app's origin (so it works offline).
// Needs Chromium (Debian: apt-get install chromium); skipped without it unless REQUIRE_BROWSER_TESTS=1
// (CI sets it), which turns a missing browser into a failure.

allowDatabaseStartup();

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? Bun.which("chromium") ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM_PATH);
const browserRequired = process.env.REQUIRE_BROWSER_TESTS === "1";
if (!haveChromium && !browserRequired) {
  console.warn(
    `docs-browser.test.ts skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH).`,
  );
}

interface Visit {
  origin: string;
  requests: string[];
  violations: string[];
  consoleErrors: string[];
  pageErrors: string[];
  operationCount: number;
  loginOperationShown: boolean;
  title: string;
}

/** The little of the page's globals these functions use: they run in the browser (no DOM types here). */
interface PageGlobals {
  violations: string[];
  document: {
    addEventListener(
      type: "securitypolicyviolation",
      listener: (event: { violatedDirective: string; blockedURI: string }) => void,
    ): void;
  };
}

let t: TestApp;
let profileDir: string | undefined;
let context: BrowserContext | undefined;
let visit: Visit;

/** Everything the page did while rendering: its requests, policy violations and errors. */
async function openDocs(page: Page, origin: string): Promise<Omit<Visit, "operationCount" | "title">> {
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));

  await page.goto(`${origin}/docs`);
  const login = page.locator('.opblock-summary-path[data-path="/api/v1/auth/login"]');
  await login.first().waitFor({ state: "visible", timeout: 30_000 });
  const violations = await page.evaluate(() => (globalThis as unknown as PageGlobals).violations);
  return { origin, requests, violations, consoleErrors, pageErrors, loginOperationShown: true };
}

describe.skipIf(!haveChromium && !browserRequired)("/docs in headless Chromium", () => {
  beforeAll(async () => {
    if (!haveChromium)
      throw new Error(`REQUIRE_BROWSER_TESTS=1 but there is no Chromium at ${CHROMIUM_PATH}`);
    t = await testApp();
    t.app.listen({ hostname: "127.0.0.1", port: 0, reusePort: false });
    const origin = `http://127.0.0.1:${t.app.server!.port}`;

    profileDir = await mkdtemp(join(tmpdir(), "docs-browser-profile-"));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    // Runs before the page's own scripts and is not subject to its policy.
    await context.addInitScript(() => {
      const violations: string[] = [];
      const page = globalThis as unknown as PageGlobals;
      page.violations = violations;
      page.document.addEventListener("securitypolicyviolation", (event) => {
        violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
      });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const seen = await openDocs(page, origin);
    visit = {
      ...seen,
      operationCount: await page.locator(".opblock").count(),
      title: await page.title(),
    };
  });

  afterAll(async () => {
    await context?.close();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
    await t?.app.stop(true);
  });

  test("lists every operation of the OpenAPI document, sign-in among them", async () => {
    const spec = (await t.call("GET", "/openapi.json")).body as { paths: Record<string, object> };
    const operations = Object.values(spec.paths).reduce(
      (sum, methods) => sum + Object.keys(methods).length,
      0,
    );
    expect(visit.loginOperationShown).toBe(true);
    expect(visit.operationCount).toBe(operations);
    expect(visit.title).toBe("SaaS backend API");
  });

  test("renders with no Content-Security-Policy violation and no script error", () => {
    expect(visit.violations).toEqual([]);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
  });

  test("loads nothing from outside the app's origin", () => {
    const outside = visit.requests.filter(
      (url) => !url.startsWith(`${visit.origin}/`) && !url.startsWith("data:"),
    );
    expect(outside).toEqual([]);
    expect(visit.requests).toContain(`${visit.origin}/openapi.json`);
  });
});
