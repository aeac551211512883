import { describe, expect, test } from "bun:test";
import type { AuditEventInput } from "../../src/core/domain/audit";
import { anonymousScope, type DataScope, platformScope } from "../../src/core/domain/data-scope";
import { ValidationError } from "../../src/core/domain/errors";
import { slugFromName } from "../../src/core/domain/slug-from-name";
import type { Workspace } from "../../src/core/ports/account-directory";
import type { MailMessage } from "../../src/core/ports/mailer";
import type { Repositories, UnitOfWork } from "../../src/core/ports/repositories";
import { makeFindTenants } from "../../src/core/usecases/signup/find-tenants";
import { makeSignUp } from "../../src/core/usecases/signup/sign-up";

const origin = { ip: "127.0.0.1", userAgent: "test", requestId: "r1" };
const PASSWORD = "Sign-up-Passphrase-42";
const workspace: Workspace = { tenantId: "t0", tenantName: "Old Co", tenantSlug: "old-co", userId: "u0" };

/** Sign-up over doubles that count the work each path does: hashes, mails, tenants created. */
function setup({ known = [] as Workspace[], takenSlugs = [] as string[] } = {}) {
  const work = {
    lookups: 0,
    hashes: 0,
    mails: [] as MailMessage[],
    tenants: [] as string[],
  };
  const audit: AuditEventInput[] = [];
  const findBySlug = async (slug: string) => (takenSlugs.includes(slug) ? ({ slug } as never) : null);
  const repos = {
    tenants: {
      findBySlug,
      create: async (tenant: { id: string; slug: string }) => {
        work.tenants.push(tenant.slug);
        return { ...tenant, status: "active", createdAt: new Date(), updatedAt: new Date() };
      },
    },
    users: { create: async (user: object) => user },
    oneTimeTokens: { issue: async () => {} },
    audit: { append: async (event: AuditEventInput) => void audit.push(event) },
  } as unknown as Repositories;
  const scopes: DataScope[] = [];
  const uow: UnitOfWork = {
    transaction: (scope, fn) => {
      scopes.push(scope);
      return fn(repos);
    },
  };
  let id = 0;
  const signUp = makeSignUp({
    uow,
    directory: {
      workspacesOf: async () => {
        work.lookups++;
        return known;
      },
    },
    hasher: {
      hash: async () => {
        work.hashes++;
        return "hash";
      },
    },
    mailer: { send: async (message) => void work.mails.push(message) },
    ids: { next: () => `id-${id++}` },
    clock: { now: () => new Date("2026-12-03T12:00:00Z") },
    links: { verifyEmail: (token) => `https://api.test/verify?token=${token}` },
    verificationTtlSeconds: 86_400,
    cache: { get: async () => null, set: async () => {}, delete: async () => {} } as never,
    tenantCacheTtlSeconds: 60,
    signInUrl: (slug) => `https://app.test/login?tenant=${slug}`,
    randomSuffix: () => "zz99",
  });
  return { signUp, work, audit, scopes };
}

describe("sign-up does the same work whether or not the address is known", () => {
  test("a new address: one hash, one mail (the verification link), one tenant", async () => {
    const { signUp, work } = setup();
    await signUp.complete({ email: "New@Example.com", password: PASSWORD, tenantName: "New Co" }, origin);
    expect({ hashes: work.hashes, mails: work.mails.length }).toEqual({
      hashes: 1,
      mails: 1,
    });
    expect(work.tenants).toEqual(["new-co"]);
    expect(work.mails[0]!.text).toContain("https://api.test/verify?token=");
    expect(work.mails[0]!.text).toContain('"new-co"');
  });

  test("a known address: one hash, one mail (the notice naming its workspaces), no tenant", async () => {
    const { signUp, work } = setup({ known: [workspace] });
    await signUp.complete({ email: "old@example.com", password: PASSWORD, tenantName: "New Co" }, origin);
    expect({ hashes: work.hashes, mails: work.mails.length }).toEqual({
      hashes: 1,
      mails: 1,
    });
    expect(work.tenants).toEqual([]);
    expect(work.mails[0]!.text).toContain("https://app.test/login?tenant=old-co");
  });

  test("admit, all the answer waits for, neither looks the address up nor hashes nor mails", async () => {
    const { signUp, work } = setup({ known: [workspace] });
    await signUp.admit({
      email: "old@example.com",
      password: PASSWORD,
      tenantName: "A",
      tenantSlug: "free-one",
    });
    expect(work).toEqual({ lookups: 0, hashes: 0, mails: [], tenants: [] });
  });
});

describe("sign-up slugs", () => {
  test("a taken or reserved derived slug gets a random suffix; an asked-for one is kept", async () => {
    const taken = setup({ takenSlugs: ["acme"] });
    await taken.signUp.complete({ email: "a@example.com", password: PASSWORD, tenantName: "ACME" }, origin);
    expect(taken.work.tenants).toEqual(["acme-zz99"]);
    const reserved = setup();
    await reserved.signUp.complete(
      { email: "b@example.com", password: PASSWORD, tenantName: "Admin" },
      origin,
    );
    expect(reserved.work.tenants).toEqual(["admin-zz99"]);
    const asked = setup();
    await asked.signUp.complete(
      { email: "c@example.com", password: PASSWORD, tenantName: "Whatever", tenantSlug: "mine" },
      origin,
    );
    expect(asked.work.tenants).toEqual(["mine"]);
  });

  test("the asked-for slug is checked in the anonymous scope; the tenant is created in the platform scope named sign-up", async () => {
    const { signUp, scopes } = setup();
    const input = { email: "f@example.com", password: PASSWORD, tenantName: "F", tenantSlug: "eff" };
    await signUp.admit(input);
    expect(scopes).toEqual([anonymousScope]);
    await signUp.complete(input, origin);
    expect(scopes).toEqual([anonymousScope, platformScope("sign-up")]);
  });

  test("the tenant and its admin are audited in the new tenant's log, by the new admin", async () => {
    const { signUp, audit } = setup();
    await signUp.complete({ email: "d@example.com", password: PASSWORD, tenantName: "Dee" }, origin);
    expect(audit.map((e) => [e.action, e.tenantId, e.actor.display])).toEqual([
      ["tenant.created", "id-0", "d@example.com"],
      ["user.created", "id-0", "d@example.com"],
    ]);
  });

  test("slugs from names: accents dropped, runs of other characters one hyphen, a fallback", () => {
    expect(slugFromName("Café  Crème & Co.")).toBe("cafe-creme-co");
    expect(slugFromName("日本")).toBe("workspace");
    expect(slugFromName("x".repeat(100)).length).toBeLessThanOrEqual(56);
  });

  test("admit refuses a weak password and a malformed asked-for slug", async () => {
    const { signUp } = setup();
    const weak = signUp.admit({ email: "e@example.com", password: "short", tenantName: "E" });
    await expect(weak).rejects.toMatchObject({ code: "WEAK_PASSWORD" });
    const slug = signUp.admit({
      email: "e@example.com",
      password: PASSWORD,
      tenantName: "E",
      tenantSlug: "Bad Slug",
    });
    await expect(slug).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("find your workspace", () => {
  test("mails the list when the address has workspaces, nothing when it has none", async () => {
    const mails: MailMessage[] = [];
    const find = (known: Workspace[]) =>
      makeFindTenants({
        directory: { workspacesOf: async () => known },
        mailer: { send: async (m) => void mails.push(m) },
        signInUrl: (slug) => `https://${slug}.example.test`,
      });
    await find([])("nobody@example.com");
    expect(mails).toHaveLength(0);
    await find([workspace])("Old@Example.com");
    expect(mails.map((m) => m.to)).toEqual(["old@example.com"]);
    expect(mails[0]!.text).toContain("https://old-co.example.test");
  });
});
