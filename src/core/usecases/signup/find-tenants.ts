import { normalizeEmail } from "../../domain/user";
import type { AccountDirectory } from "../../ports/account-directory";
import type { Mailer } from "../../ports/mailer";
import { workspaceListEmail } from "./signup-emails";

export interface FindTenantsDeps {
  directory: AccountDirectory;
  mailer: Mailer;
  signInUrl: (slug: string) => string;
}

/**
 * "Find your workspace": mails the address the tenants where it can sign in (active account, active
 * tenant). Only the owner of the address reads the list, so it may name them; the caller learns
 * nothing (the route answers before this runs). An address without any account is sent nothing:
 * otherwise anyone could make us mail any address.
 */
export function makeFindTenants(deps: FindTenantsDeps) {
  return async function findTenants(address: string): Promise<void> {
    const email = normalizeEmail(address);
    const workspaces = await deps.directory.workspacesOf(email);
    if (workspaces.length === 0) return;
    await deps.mailer.send(
      workspaceListEmail(
        email,
        workspaces.map((w) => ({
          name: w.tenantName,
          slug: w.tenantSlug,
          signInUrl: deps.signInUrl(w.tenantSlug),
        })),
      ),
    );
  };
}

export type FindTenants = ReturnType<typeof makeFindTenants>;
