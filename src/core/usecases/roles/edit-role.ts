import { type Acting, successEvent } from "../../domain/acting";
import { scopeOf } from "../../domain/data-scope";
import { inCatalogOrder, type Permission } from "../../domain/permissions";
import {
  escalation,
  isCustomised,
  ownGrants,
  parsePermission,
  parsePermissions,
  roleInTenant,
} from "../../domain/role-grants";
import type { Role } from "../../domain/roles";
import type { UnitOfWork } from "../../ports/repositories";
import { actingRole } from "./acting-role";
import type { EffectivePermissions } from "./effective-permissions";
import { type RoleView, roleView } from "./role-view";

export interface EditRoleDeps {
  uow: UnitOfWork;
  permissions: Pick<EffectivePermissions, "invalidate">;
}

interface Edit {
  /** The role's new own grants, given its current ones. */
  next(own: ReadonlySet<Permission>): Permission[];
  /** Whether an unchanged set still customises a role that holds the defaults (a replace pins them). */
  pins: boolean;
}

const ACTION = "role.permissions_changed";

/**
 * Changing a role's own grants in the actor's tenant; needs roles:manage. Each change is audited in
 * its transaction, then the tenant's cached permissions are dropped. A change that would change
 * nothing writes nothing. A refused escalation is audited as denied, and nothing else is written.
 */
export function makeEditRole({ uow, permissions }: EditRoleDeps) {
  const resource = (role: Role) => ({ type: "role", id: role });

  async function edit(acting: Acting, name: string, { next, pins }: Edit): Promise<RoleView> {
    const { tenant } = acting;
    const outcome = await uow.transaction(scopeOf(acting), async (repos) => {
      await repos.rolePermissions.lock(tenant.id);
      const stored = await repos.rolePermissions.grantsOf(tenant.id);
      const editor = await actingRole(repos.users, acting, stored, "roles:manage");
      const role = roleInTenant(name, tenant.slug);
      const before = inCatalogOrder(ownGrants(stored, role));
      const after = next(new Set(before));
      const added = after.filter((p) => !before.includes(p));

      const refusal = escalation({
        actorRole: editor.role,
        actorPermissions: editor.permissions,
        target: role,
        added,
      });
      if (refusal) {
        const metadata = { before, after, reason: refusal.message };
        const event = successEvent(acting, ACTION, resource(role), metadata);
        await repos.audit.append({ ...event, outcome: "denied" }, acting.origin);
        return { kind: "refused" as const, refusal };
      }
      const unchanged = added.length === 0 && after.length === before.length;
      if (unchanged && (isCustomised(stored, role) || !pins)) {
        return { kind: "unchanged" as const, view: roleView(stored, tenant.slug, role) };
      }
      await repos.rolePermissions.replace(tenant.id, role, after);
      await repos.audit.append(
        successEvent(acting, ACTION, resource(role), { before, after }),
        acting.origin,
      );
      return { kind: "changed" as const, view: roleView({ ...stored, [role]: after }, tenant.slug, role) };
    });
    if (outcome.kind === "refused") {
      outcome.refusal.audited = true;
      throw outcome.refusal;
    }
    if (outcome.kind === "changed") await permissions.invalidate(tenant);
    return outcome.view;
  }

  return {
    /** Makes `permissions` the role's whole own grants (customising it, even to nothing). */
    replaceRole(acting: Acting, { role, permissions }: { role: string; permissions: string[] }) {
      return edit(acting, role, { next: () => parsePermissions(permissions, "permissions"), pins: true });
    },

    addPermission(acting: Acting, { role, permission }: { role: string; permission: string }) {
      return edit(acting, role, {
        next: (own) => inCatalogOrder([...own, parsePermission(permission, "permission")]),
        pins: false,
      });
    },

    removePermission(acting: Acting, { role, permission }: { role: string; permission: string }) {
      return edit(acting, role, {
        next: (own) => {
          const removed = parsePermission(permission, "permission");
          return inCatalogOrder([...own].filter((p) => p !== removed));
        },
        pins: false,
      });
    },
  };
}

export type EditRole = ReturnType<typeof makeEditRole>;
