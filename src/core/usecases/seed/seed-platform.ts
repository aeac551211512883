import { SYSTEM_ACTOR } from "../../domain/audit";
import { anonymousScope, platformScope, tenantScope } from "../../domain/data-scope";
import { ConflictError } from "../../domain/errors";
import { assertPasswordPolicy } from "../../domain/password-policy";
import { PLATFORM_TENANT_SLUG } from "../../domain/tenant";
import { normalizeEmail } from "../../domain/user";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { PasswordHasher } from "../../ports/password-hasher";
import type { UnitOfWork } from "../../ports/repositories";

export interface SeedPlatformDeps {
  uow: UnitOfWork;
  hasher: PasswordHasher;
  clock: Clock;
  ids: IdGenerator;
}

export interface SeedPlatformInput {
  adminEmail: string;
  adminPassword: string;
  /**
   * A hash of `adminPassword` already under way: a start that knows it creates the admin (a new
   * embedded database) begins the costly bcrypt work while the database opens.
   */
  adminPasswordHash?: Promise<string>;
}

export interface SeedPlatformResult {
  tenantCreated: boolean;
  adminCreated: boolean;
}

const origin = { ip: null, userAgent: null, requestId: null };

/**
 * Ensures the platform tenant and its super admin exist. Idempotent: what exists is left exactly as
 * it is (an admin's changed password is never reset). Safe when several instances start at once.
 */
export function makeSeedPlatform({ uow, hasher, clock, ids }: SeedPlatformDeps) {
  async function attempt(input: SeedPlatformInput): Promise<SeedPlatformResult> {
    const email = normalizeEmail(input.adminEmail);
    // The checks read the directory (no tenant yet), then the platform tenant's own users.
    const existingTenant = await uow.transaction(anonymousScope, (r) =>
      r.tenants.findBySlug(PLATFORM_TENANT_SLUG),
    );
    const existingAdmin = existingTenant
      ? await uow.transaction(tenantScope(existingTenant.id), (r) =>
          r.users.findCredentialsByEmail(existingTenant.id, email),
        )
      : null;
    if (existingTenant && existingAdmin) return { tenantCreated: false, adminCreated: false };
    assertPasswordPolicy(input.adminPassword, email, "adminPassword");

    const passwordHash = await (input.adminPasswordHash ?? hasher.hash(input.adminPassword));
    // Creating a tenant is platform work only; seeding is its named purpose.
    return uow.transaction(platformScope("seed"), async (repos) => {
      let tenant = await repos.tenants.findBySlug(PLATFORM_TENANT_SLUG);
      const tenantCreated = !tenant;
      if (!tenant) {
        tenant = await repos.tenants.create({
          id: ids.next(),
          name: "Platform",
          slug: PLATFORM_TENANT_SLUG,
          plan: "platform",
        });
        await repos.audit.append(
          {
            tenantId: tenant.id,
            actor: SYSTEM_ACTOR,
            action: "tenant.created",
            resource: { type: "tenant", id: tenant.id },
            outcome: "success",
            metadata: { slug: tenant.slug, seeded: true },
          },
          origin,
        );
      }
      if (await repos.users.findCredentialsByEmail(tenant.id, email))
        return { tenantCreated, adminCreated: false };
      const admin = await repos.users.create({
        id: ids.next(),
        tenantId: tenant.id,
        email,
        passwordHash,
        role: "super_admin",
        emailVerifiedAt: clock.now(),
      });
      await repos.audit.append(
        {
          tenantId: tenant.id,
          actor: SYSTEM_ACTOR,
          action: "user.created",
          resource: { type: "user", id: admin.id },
          outcome: "success",
          metadata: { email, role: "super_admin", seeded: true },
        },
        origin,
      );
      return { tenantCreated, adminCreated: true };
    });
  }

  return async function seedPlatform(input: SeedPlatformInput): Promise<SeedPlatformResult> {
    try {
      return await attempt(input);
    } catch (error) {
      // Another instance seeded between our read and our write: what it wrote is what we wanted.
      if (error instanceof ConflictError) return attempt(input);
      throw error;
    }
  };
}
