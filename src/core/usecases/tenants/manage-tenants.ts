import { type Acting, successEvent } from "../../domain/acting";
import { changedFields } from "../../domain/changed-fields";
import { type DataScope, platformScope, scopeOf, tenantScope } from "../../domain/data-scope";
import { ConflictError, ForbiddenError, NotFoundError } from "../../domain/errors";
import { type Page, type PageRequest, toPage } from "../../domain/pagination";
import {
  nextStatus,
  PLATFORM_TENANT_SLUG,
  type Tenant,
  type TenantAction,
  type TenantStatus,
} from "../../domain/tenant";
import { assertValidSettings, assertValidSlug } from "../../domain/tenant-rules";
import { isUuid } from "../../domain/uuid";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { TenantPatch, UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { requirePermission } from "../auth/require-permission";
import { publishRevocations } from "../auth/session-state";
import { publishTenant } from "./resolve-tenant";

export interface ManageTenantsDeps {
  authorize: Authorize;
  uow: UnitOfWork;
  cache: Cache;
  clock: Clock;
  ids: IdGenerator;
  tenantCacheTtlSeconds: number;
  sessionCacheTtlSeconds: number;
}

export interface NewTenantInput {
  name: string;
  slug: string;
  plan?: string;
  domain?: string | null;
  settings?: Record<string, unknown>;
}

const PAST: Record<TenantAction, string> = {
  suspend: "suspended",
  activate: "activated",
  cancel: "cancelled",
};
const notFound = () => new NotFoundError("TENANT_NOT_FOUND", "No such tenant.");

/**
 * Tenants: platform admins create, list, update and change the status of any tenant; a tenant's own
 * admins read it and change its name and settings, never its plan, domain or status. Another
 * tenant does not exist for them.
 */
export function makeManageTenants(deps: ManageTenantsDeps) {
  const { uow, cache, clock, ids, authorize } = deps;

  /**
   * Publishes the tenant as stored now, not as this request wrote it: a later commit may have changed
   * it. The tenant directory is readable in every scope, so the caller's own serves.
   */
  async function publishLatest(scope: DataScope, id: string) {
    const latest = await uow.transaction(scope, (repos) => repos.tenants.findById(id));
    if (latest) await publishTenant(cache, latest, deps.tenantCacheTtlSeconds);
  }

  /** The tenant if the caller may see it: any with tenants:read, else only their own with tenant:read. */
  async function visible(acting: Acting, tenant: Tenant | null): Promise<Tenant> {
    if (!tenant) throw notFound();
    if (await authorize(acting.principal, acting.home, "tenants:read")) return tenant;
    if (tenant.id === acting.home.id && (await authorize(acting.principal, acting.home, "tenant:read")))
      return tenant;
    throw notFound();
  }

  return {
    async create(acting: Acting, input: NewTenantInput): Promise<Tenant> {
      await requirePermission(authorize, acting, "tenants:create");
      assertValidSlug(input.slug);
      if (input.settings) assertValidSettings(input.settings);
      // Only platform work creates tenants (row-level security); the audit event goes into the new
      // tenant's own log, in the same transaction.
      const tenant = await uow.transaction(platformScope("tenant administration"), async (repos) => {
        const created = await repos.tenants.create({
          id: ids.next(),
          name: input.name,
          slug: input.slug,
          plan: input.plan ?? "free",
          domain: input.domain ?? null,
          settings: input.settings ?? {},
        });
        await repos.audit.append(
          successEvent(
            acting,
            "tenant.created",
            { type: "tenant", id: created.id },
            { slug: created.slug, plan: created.plan },
            created.id,
          ),
          acting.origin,
        );
        return created;
      });
      await publishLatest(scopeOf(acting), tenant.id);
      return tenant;
    },

    async list(
      acting: Acting,
      { filter, page }: { filter: { status?: TenantStatus }; page: PageRequest },
    ): Promise<Page<Tenant>> {
      await requirePermission(authorize, acting, "tenants:read");
      // The tenant directory is readable in every scope: listing it needs no platform scope.
      const rows = await uow.transaction(scopeOf(acting), (repos) => repos.tenants.list(filter, page));
      return toPage(rows, page.limit);
    },

    async get(acting: Acting, id: string): Promise<Tenant> {
      return visible(acting, await uow.transaction(scopeOf(acting), (repos) => repos.tenants.findById(id)));
    },

    /** As `get`, naming the tenant by id or by slug. */
    async find(acting: Acting, idOrSlug: string): Promise<Tenant> {
      const tenant = await uow.transaction(
        scopeOf(acting),
        async (repos) =>
          (isUuid(idOrSlug) ? await repos.tenants.findById(idOrSlug) : null) ??
          (await repos.tenants.findBySlug(idOrSlug)),
      );
      return visible(acting, tenant);
    },

    async update(acting: Acting, { id, patch }: { id: string; patch: TenantPatch }): Promise<Tenant> {
      if (patch.settings) assertValidSettings(patch.settings);
      // Every permission check before the transaction: checks may read the database (PGlite has one connection).
      await visible(acting, await uow.transaction(scopeOf(acting), (repos) => repos.tenants.findById(id)));
      const platform = await authorize(acting.principal, acting.home, "tenants:update");
      if (!platform) {
        if (id !== acting.home.id || !(await authorize(acting.principal, acting.home, "tenant:update"))) {
          throw new ForbiddenError("FORBIDDEN", "Changing the tenant needs the tenant:update permission.");
        }
        if (patch.plan !== undefined || patch.domain !== undefined) {
          throw new ForbiddenError("FORBIDDEN", "Only platform admins change a tenant's plan or domain.");
        }
      }
      // Every row written is the changed tenant's (its row, its audit event), and the checks above
      // allowed this caller to change it: that tenant's scope, not the platform's, even for a platform
      // admin changing another tenant than the one acted on.
      const tenant = await uow.transaction(tenantScope(id), async (repos) => {
        const current = await repos.tenants.findById(id);
        if (!current) throw notFound();
        const { before, after } = changedFields(current, patch);
        if (Object.keys(after).length === 0) return current;
        const updated = await repos.tenants.update(id, patch, clock.now());
        if (!updated) throw notFound();
        await repos.audit.append(
          successEvent(acting, "tenant.updated", { type: "tenant", id: id }, { before, after }, id),
          acting.origin,
        );
        return updated;
      });
      await publishLatest(scopeOf(acting), tenant.id);
      return tenant;
    },

    /**
     * Moves a tenant through its lifecycle: active <-> suspended, either -> cancelled (final). The
     * new status reaches every instance on its next request; cancelling also ends every session.
     */
    async changeStatus(
      acting: Acting,
      { id, action, reason }: { id: string; action: TenantAction; reason?: string },
    ): Promise<Tenant> {
      await requirePermission(authorize, acting, "tenants:status");
      if (!isUuid(id)) throw notFound();
      // Every row touched is the changed tenant's (its row, its sessions, its audit event), and only a
      // platform admin (tenants:status) gets here: that tenant's scope, the narrowest that holds them.
      const { tenant, ended } = await uow.transaction(tenantScope(id), async (repos) => {
        const current = await repos.tenants.findById(id);
        if (!current) throw notFound();
        const status = nextStatus(current.status, action);
        if (current.slug === PLATFORM_TENANT_SLUG && action !== "activate") {
          throw new ConflictError(
            "INVALID_TRANSITION",
            "The platform tenant cannot be suspended or cancelled.",
          );
        }
        if (!status)
          throw new ConflictError(
            "INVALID_TRANSITION",
            `A ${current.status} tenant cannot be ${PAST[action]}.`,
          );
        const now = clock.now();
        const updated = (await repos.tenants.setStatus(id, status, now))!;
        const ended =
          action === "cancel" ? await repos.sessions.revokeAllOfTenant(id, "tenant_inactive", now) : [];
        await repos.audit.append(
          successEvent(
            acting,
            `tenant.${PAST[action]}`,
            { type: "tenant", id: id },
            {
              from: current.status,
              to: status,
              ...(reason ? { reason } : {}),
            },
            id,
          ),
          acting.origin,
        );
        return { tenant: updated, ended };
      });
      await publishLatest(scopeOf(acting), tenant.id);
      await publishRevocations(cache, ended, deps.sessionCacheTtlSeconds);
      return tenant;
    },
  };
}

export type ManageTenants = ReturnType<typeof makeManageTenants>;
