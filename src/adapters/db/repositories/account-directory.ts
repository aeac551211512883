import { and, asc, eq } from "drizzle-orm";
import type { AccountDirectory } from "../../../core/ports/account-directory";
import type { Database } from "../database";
import { tenants, users } from "../schema";

/** At most this many workspaces are listed: more than anyone belongs to, and a bound on the mail. */
const MAX_WORKSPACES = 100;

export function accountDirectory(db: Database): AccountDirectory {
  return {
    async workspacesOf(email) {
      return db
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
        .limit(MAX_WORKSPACES);
    },
  };
}
