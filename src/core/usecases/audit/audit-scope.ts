import { type Acting, successEvent } from "../../domain/acting";
import { scopeOf, tenantScope } from "../../domain/data-scope";
import { NotFoundError } from "../../domain/errors";
import type { UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { requirePermission } from "../auth/require-permission";

/** The tenant whose log is read; `foreign` when it is not the reader's own. */
export interface AuditScope {
  tenantId: string;
  foreign: boolean;
}

export interface AuditScopeDeps {
  authorize: Authorize;
  uow: UnitOfWork;
}

/**
 * Which tenant's log a caller may read: by default the tenant acted on; their own with audit:read;
 * another one (any status) only with platform:audit, and that read is itself recorded in the tenant
 * read. Every check runs before anything is written. Another tenant's id from anyone else is refused
 * before it is looked up, so the answer says nothing of whether it exists.
 */
export function makeAuditScope({ authorize, uow }: AuditScopeDeps) {
  return {
    async resolve(acting: Acting, requested: string | undefined): Promise<AuditScope> {
      await requirePermission(authorize, acting, "audit:read");
      const tenantId = requested ?? acting.tenant.id;
      if (tenantId === acting.home.id) return { tenantId, foreign: false };
      await requirePermission(authorize, acting, "platform:audit");
      // Looked up before anything is written; the tenant directory is readable in the caller's own scope.
      const tenant = await uow.transaction(scopeOf(acting), (repos) => repos.tenants.findById(tenantId));
      if (!tenant) {
        throw new NotFoundError("TENANT_NOT_FOUND", "No such tenant.");
      }
      return { tenantId, foreign: true };
    },

    /** Records, in the tenant read, that a platform admin read its log; nothing for one's own log. */
    async recordRead(
      acting: Acting,
      scope: AuditScope,
      action: string,
      metadata: Record<string, unknown>,
    ): Promise<void> {
      if (!scope.foreign) return;
      const event = successEvent(
        acting,
        action,
        { type: "audit_log", id: scope.tenantId },
        { ...metadata, readerTenantId: acting.home.id },
        scope.tenantId,
      );
      // The event belongs to the tenant read (platform:audit was checked by `resolve`): its scope.
      await uow.transaction(tenantScope(scope.tenantId), (repos) => repos.audit.append(event, acting.origin));
    },
  };
}

export type AuditScopes = ReturnType<typeof makeAuditScope>;
