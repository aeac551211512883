import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { type Browser, chromium, type Page } from "playwright-core";
import { refreshTokens, sessions } from "../../src/adapters/db/schema";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

// The README's "Browser apps" snippet, run as written in headless Chromium by a page on another
// origin: CORS, the HttpOnly session cookie and the CSRF header together, as a browser enforces them.
// Skipped without Chromium unless REQUIRE_BROWSER_TESTS=1 (CI sets it).

allowDatabaseStartup();

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? Bun.which("chromium") ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM_PATH);
const browserRequired = process.env.REQUIRE_BROWSER_TESTS === "1";

/** The README's browser sign-in, from its "Browser apps" section. */
function readmeSnippet(): string {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Browser apps"));
  const match = section.match(/```js\n([\s\S]*?)```/);
  if (!match?.[1]) throw new Error("README: no js block under Browser apps");
  return match[1];
}

/** A page server on its own port: another origin than the API's (same site: localhost). */
function servePage() {
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () =>
      new Response("<!doctype html><title>app</title>", { headers: { "content-type": "text/html" } }),
  });
}

let t: TestApp;
let browser: Browser | undefined;
let page: Page;
let stranger: Page;
let pages: ReturnType<typeof servePage>[] = [];
let apiOrigin: string;

describe.skipIf(!haveChromium && !browserRequired)("a browser app on another origin", () => {
  beforeAll(async () => {
    if (!haveChromium)
      throw new Error(`REQUIRE_BROWSER_TESTS=1 but there is no Chromium at ${CHROMIUM_PATH}`);
    pages = [servePage(), servePage()];
    const [listed, unlisted] = pages.map((server) => `http://localhost:${server.port}`) as [string, string];
    t = await testApp({ env: { CORS_ORIGINS: listed } });
    t.app.listen({ hostname: "127.0.0.1", port: 0, reusePort: false });
    apiOrigin = `http://localhost:${t.app.server!.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
      ],
    });
    page = await (await browser.newContext()).newPage();
    await page.goto(listed);
    stranger = await (await browser.newContext()).newPage();
    await stranger.goto(unlisted);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.app.stop(true);
    for (const server of pages) server.stop(true);
  });

  /** The snippet with the API's address and a real account, returning what it signed in as. */
  async function runSnippet(on: Page, account: { email: string; password: string; tenant: string }) {
    const code = readmeSnippet()
      .replace("https://api.example.com", apiOrigin)
      .replace('tenant: "acme"', `tenant: ${JSON.stringify(account.tenant)}`);
    const script = `(async () => {
      const email = ${JSON.stringify(account.email)};
      const password = ${JSON.stringify(account.password)};
      ${code}
      return { me, accessToken };
    })()`;
    return (await on.evaluate(script)) as { me: { email: string }; accessToken: string };
  }

  test("signs in with the cookie, refreshes and signs out, as the README shows", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const result = await runSnippet(page, {
      email: user.email,
      password: user.password!,
      tenant: tenant.slug,
    });

    expect(result.me.email).toBe(user.email);
    const [session] = await t.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(session!.revokedReason).toBe("logout");
    // Login issued one refresh token and the refresh rotated it: the cookie went both ways.
    const tokens = await t.db.select().from(refreshTokens).where(eq(refreshTokens.sessionId, session!.id));
    expect(tokens.length).toBe(2);
    // Logout cleared it.
    expect(await page.context().cookies(`${apiOrigin}/api/v1/auth/refresh`)).toEqual([]);
  });

  test("the page's scripts never see the refresh token", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const seen = await page.evaluate(
      async ({ api, email, password, slug }) => {
        const response = await fetch(`${api}/api/v1/auth/login`, {
          method: "POST",
          credentials: "include",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password, tenant: slug, session: "cookie" }),
        });
        return { body: await response.text(), setCookie: response.headers.get("set-cookie") };
      },
      { api: apiOrigin, email: user.email, password: user.password!, slug: tenant.slug },
    );
    const [cookie] = await page.context().cookies(`${apiOrigin}/api/v1/auth/refresh`);
    expect(cookie).toMatchObject({
      name: "refresh_token",
      httpOnly: true,
      path: "/api/v1/auth",
      sameSite: "Lax",
    });
    expect(seen.body).not.toContain(cookie!.value);
    expect(seen.setCookie).toBeNull();
  });

  test("a page on an origin not listed cannot read the answer", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const attempt = runSnippet(stranger, {
      email: user.email,
      password: user.password!,
      tenant: tenant.slug,
    });
    await expect(attempt).rejects.toThrow("Failed to fetch");
  });
});
