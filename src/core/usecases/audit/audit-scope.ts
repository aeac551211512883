import { actorOf, type Principal, type TenantRef } from "../../domain/acting";
import type { RequestOrigin } from "../../domain/audit";
import { ForbiddenError, NotFoundError } from "../../domain/errors";
import type { TenantRepository, UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";

/** Who reads the log: the caller and their own tenant, where their permissions hold. */
export interface AuditActing {
  actor: Principal;
  home: TenantRef;
}

/** The tenant whose log is read; `foreign` when it is not the reader's own. */
export interface AuditScope {
  tenantId: string;
  foreign: boolean;
}

export interface AuditScopeDeps {
  authorize: Authorize;
  /** Outside transactions: looked up before anything is written. */
  tenants: Pick<TenantRepository, "findById">;
  uow: UnitOfWork;
}

/**
 * Which tenant's log a caller may read: their own with audit:read; another one (any status) only
 * with platform:audit, and that read is itself recorded in the tenant read. Every check runs before
 * anything is written. Another tenant's id from anyone else is refused before it is looked up, so
 * the answer says nothing of whether it exists.
 */
export function makeAuditScope({ authorize, tenants, uow }: AuditScopeDeps) {
  return {
    async resolve(acting: AuditActing, tenantId: string | undefined): Promise<AuditScope> {
      if (!(await authorize(acting.actor, acting.home, "audit:read"))) {
        throw new ForbiddenError("FORBIDDEN", "Reading the audit log needs the audit:read permission.");
      }
      if (tenantId === undefined || tenantId === acting.home.id) {
        return { tenantId: acting.home.id, foreign: false };
      }
      if (!(await authorize(acting.actor, acting.home, "platform:audit"))) {
        throw new ForbiddenError(
          "FORBIDDEN",
          "Reading another tenant's audit log needs the platform:audit permission.",
        );
      }
      if (!(await tenants.findById(tenantId))) {
        throw new NotFoundError("TENANT_NOT_FOUND", "No such tenant.");
      }
      return { tenantId, foreign: true };
    },

    /** Records, in the tenant read, that a platform admin read its log; nothing for one's own log. */
    async recordRead(
      acting: AuditActing,
      scope: AuditScope,
      action: string,
      metadata: Record<string, unknown>,
      origin: RequestOrigin,
    ): Promise<void> {
      if (!scope.foreign) return;
      await uow.transaction((repos) =>
        repos.audit.append(
          {
            tenantId: scope.tenantId,
            actor: actorOf(acting.actor),
            action,
            resource: { type: "audit_log", id: scope.tenantId },
            outcome: "success",
            metadata: { ...metadata, readerTenantId: acting.home.id },
          },
          origin,
        ),
      );
    },
  };
}

export type AuditScopes = ReturnType<typeof makeAuditScope>;
