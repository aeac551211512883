import { and, asc, eq } from "drizzle-orm";
import { platformScope } from "../../../core/domain/data-scope";
import type { AccountDirectory } from "../../../core/ports/account-directory";
import { tenants, users } from "../schema";
import type { ScopedDatabase } from "../scoped-database";

/** At most this many workspaces are listed: more than anyone belongs to, and a bound on the mail. */
const MAX_WORKSPACES = 100;

/**
 * The one question asked across tenants (see the port), only by sign-up and "find your workspace":
 * so in the platform scope named "sign-up".
 */
export function accountDirectory(db: ScopedDatabase): AccountDirectory {
  return {
    async workspacesOf(email) {
      return db.transaction(platformScope("sign-up"), (tx) =>
        tx
          .select({
            tenantId: tenants.id,
            tenantName: tenants.name,
            tenantSlug: tenants.slug,
            userId: users.id,
          })
          .from(users)
          .innerJoin(tenants, eq(tenants.id, users.tenantId))
          .where(and(eq(users.email, email), eq(users.isActive, true), eq(tenants.status, "active")))
          .orderBy(asc(tenants.name), asc(tenants.slug))
          .limit(MAX_WORKSPACES),
      );
    },
  };
}
