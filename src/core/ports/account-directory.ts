/** A tenant where an address has an account one can sign in to. */
export interface Workspace {
  tenantId: string;
  tenantName: string;
  tenantSlug: string;
  userId: string;
}

/**
 * The one question asked across tenants: where does this address have an account? Only sign-up
 * and "find your workspace" ask it, and neither answers it to the caller (the owner of the address
 * is mailed).
 */
export interface AccountDirectory {
  /** The active tenants where the (normalized) address has an active account, by tenant name. */
  workspacesOf(email: string): Promise<Workspace[]>;
}
