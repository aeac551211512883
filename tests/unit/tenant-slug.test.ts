import { describe, expect, test } from "bun:test";
import { tenantSlugFromRequest } from "../../src/http/tenant-slug";

const req = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

describe("tenantSlugFromRequest", () => {
  test("with a base domain, the subdomain label names the tenant and wins over the header", () => {
    expect(
      tenantSlugFromRequest(req("http://acme.saas.test:8080/x", { "x-tenant": "other" }), "saas.test"),
    ).toBe("acme");
  });

  test("the apex, nested labels and foreign hosts name no tenant by host", () => {
    expect(tenantSlugFromRequest(req("http://saas.test/x"), "saas.test")).toBeNull();
    expect(tenantSlugFromRequest(req("http://a.b.saas.test/x"), "saas.test")).toBeNull();
    expect(tenantSlugFromRequest(req("http://acme.evil-saas.test/x"), "saas.test")).toBeNull();
  });

  test("without a host match, X-Tenant names the tenant, lower-cased", () => {
    expect(tenantSlugFromRequest(req("http://localhost/x", { "x-tenant": " Acme " }), null)).toBe("acme");
    expect(tenantSlugFromRequest(req("http://saas.test/x", { "x-tenant": "acme" }), "saas.test")).toBe(
      "acme",
    );
  });

  test("with neither, no tenant is named", () => {
    expect(tenantSlugFromRequest(req("http://localhost/x"), null)).toBeNull();
  });
});
