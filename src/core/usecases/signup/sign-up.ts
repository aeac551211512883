import type { RequestOrigin } from "../../domain/audit";
import { anonymousScope, platformScope } from "../../domain/data-scope";
import { REQUIRE_VERIFIED_EMAIL } from "../../domain/email-verification-policy";
import { ConflictError } from "../../domain/errors";
import { assertPasswordPolicy } from "../../domain/password-policy";
import { isUsableSlug, randomSlugSuffix, slugFromName, suffixedSlug } from "../../domain/slug-from-name";
import type { Tenant } from "../../domain/tenant";
import { assertValidSlug } from "../../domain/tenant-rules";
import { normalizeEmail, type User } from "../../domain/user";
import type { AccountDirectory } from "../../ports/account-directory";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { Mailer } from "../../ports/mailer";
import type { PasswordHasher } from "../../ports/password-hasher";
import type { Repositories, TenantRepository, UnitOfWork } from "../../ports/repositories";
import type { AccountLinks } from "../account/links";
import { issueOneTimeToken } from "../account/one-time-tokens";
import { publishTenant } from "../tenants/resolve-tenant";
import { signUpNoticeEmail, type WorkspaceHint, welcomeEmail } from "./signup-emails";

export interface SignUpInput {
  email: string;
  password: string;
  tenantName: string;
  /** Asked for explicitly; else derived from the name. */
  tenantSlug?: string;
}

export interface SignUpDeps {
  uow: UnitOfWork;
  directory: AccountDirectory;
  hasher: Pick<PasswordHasher, "hash">;
  mailer: Mailer;
  ids: IdGenerator;
  clock: Clock;
  links: Pick<AccountLinks, "verifyEmail">;
  /** EMAIL_VERIFICATION_TTL_SECONDS: the link is the usual verification link. */
  verificationTtlSeconds: number;
  cache: Cache;
  tenantCacheTtlSeconds: number;
  signInUrl: (slug: string) => string;
  randomSuffix?: () => string;
}

/** Derived slugs tried before giving up (the first without, the others with a random suffix). */
const SLUG_ATTEMPTS = 5;

const slugTaken = () =>
  new ConflictError("SLUG_TAKEN", "A tenant with this slug already exists; choose another or leave it out.");

/**
 * Self-service sign-up: a new tenant (plan free, requireVerifiedEmail on) and its first admin,
 * unverified, who is mailed a verification link (issued in the same transaction) and the workspace. In two steps so the answer cannot tell a known
 * address from a new one: `admit` runs the checks that do not depend on the address being known
 * (password policy, the asked-for slug), before the answer; `complete` runs after it, off the
 * request path, and does the same work either way (one bcrypt hash, one mail): a known address,
 * one with an active account in an active tenant, gets a notice instead of a second account.
 */
export function makeSignUp(deps: SignUpDeps) {
  const { uow, ids } = deps;
  const suffix = deps.randomSuffix ?? randomSlugSuffix;

  /** A free slug for `name`: the name's own, else with a random suffix. */
  async function freeSlug(tenants: Pick<TenantRepository, "findBySlug">, name: string): Promise<string> {
    const base = slugFromName(name);
    for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
      const candidate = attempt === 0 && isUsableSlug(base) ? base : suffixedSlug(base, suffix());
      if (!(await tenants.findBySlug(candidate))) return candidate;
    }
    throw slugTaken();
  }

  async function create(
    repos: Repositories,
    input: SignUpInput,
    email: string,
    passwordHash: string,
    origin: RequestOrigin,
  ): Promise<{ tenant: Tenant; user: User; token: string }> {
    const slug = input.tenantSlug ?? (await freeSlug(repos.tenants, input.tenantName));
    const tenant = await repos.tenants.create({
      id: ids.next(),
      name: input.tenantName,
      slug,
      plan: "free",
      domain: null,
      settings: { [REQUIRE_VERIFIED_EMAIL]: true },
    });
    const user = await repos.users.create({
      id: ids.next(),
      tenantId: tenant.id,
      email,
      passwordHash,
      role: "admin",
      emailVerifiedAt: null,
    });
    const actor = { type: "user" as const, id: user.id, display: email };
    await repos.audit.append(
      {
        tenantId: tenant.id,
        actor,
        action: "tenant.created",
        resource: { type: "tenant", id: tenant.id },
        outcome: "success",
        metadata: { slug, plan: tenant.plan, signUp: true },
      },
      origin,
    );
    await repos.audit.append(
      {
        tenantId: tenant.id,
        actor,
        action: "user.created",
        resource: { type: "user", id: user.id },
        outcome: "success",
        metadata: { email, role: user.role, signUp: true },
      },
      origin,
    );
    const token = await issueOneTimeToken(repos, deps, {
      tenantId: tenant.id,
      userId: user.id,
      purpose: "email_verification",
      ttlSeconds: deps.verificationTtlSeconds,
    });
    return { tenant, user, token };
  }

  /** Creates the tenant; a derived slug taken by a concurrent sign-up is derived again, once. */
  async function createTenant(
    input: SignUpInput,
    email: string,
    passwordHash: string,
    origin: RequestOrigin,
  ) {
    // Creating a tenant is platform work only (row-level security); sign-up is its named purpose.
    const attempt = () =>
      uow.transaction(platformScope("sign-up"), (repos) => create(repos, input, email, passwordHash, origin));
    try {
      return await attempt();
    } catch (error) {
      if (input.tenantSlug === undefined && error instanceof ConflictError && error.code === "SLUG_TAKEN")
        return attempt();
      throw error;
    }
  }

  return {
    /**
     * Throws WEAK_PASSWORD, INVALID_SLUG or SLUG_RESERVED (422), or SLUG_TAKEN (409) for an asked-for
     * slug: tenant slugs are public (sign-in names them), so this tells nothing about accounts.
     */
    async admit(input: SignUpInput): Promise<void> {
      assertPasswordPolicy(input.password, input.email);
      if (input.tenantSlug === undefined) return;
      assertValidSlug(input.tenantSlug);
      const slug = input.tenantSlug;
      // No tenant yet: the tenant directory is what the anonymous scope reads.
      if (await uow.transaction(anonymousScope, (repos) => repos.tenants.findBySlug(slug))) throw slugTaken();
    },

    /** The sign-up itself, after the answer: a tenant and a verification link, or a notice. */
    async complete(input: SignUpInput, origin: RequestOrigin): Promise<void> {
      const email = normalizeEmail(input.email);
      const passwordHash = await deps.hasher.hash(input.password);
      const known = await deps.directory.workspacesOf(email);
      if (known.length > 0) {
        const hints: WorkspaceHint[] = known.map((w) => ({
          name: w.tenantName,
          slug: w.tenantSlug,
          signInUrl: deps.signInUrl(w.tenantSlug),
        }));
        await deps.mailer.send(signUpNoticeEmail(email, hints));
        return;
      }
      const { tenant, token } = await createTenant(input, email, passwordHash, origin);
      await publishTenant(deps.cache, tenant, deps.tenantCacheTtlSeconds);
      const workspace = { name: tenant.name, slug: tenant.slug, signInUrl: deps.signInUrl(tenant.slug) };
      const hours = Math.round(deps.verificationTtlSeconds / 3600);
      await deps.mailer.send(welcomeEmail(email, workspace, deps.links.verifyEmail(token), hours));
    },
  };
}

export type SignUp = ReturnType<typeof makeSignUp>;
