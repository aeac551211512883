import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import type { Acting, Principal } from "../src/core/domain/acting";
import type { RequestOrigin } from "../src/core/domain/audit";
import { NotFoundError } from "../src/core/domain/errors";
import { PLATFORM_TENANT_SLUG } from "../src/core/domain/tenant";
import type { TenantResolver } from "../src/core/usecases/tenants/resolve-tenant";

/**
 * The operator at the terminal: a super admin of the platform tenant, under their OS user name,
 * acting on the platform tenant unless a command names another.
 */
export interface Operator {
  acting: Acting;
}

/** Every CLI write is recorded with this origin: no address, no request. */
const CLI_ORIGIN: RequestOrigin = { ip: null, userAgent: "saasctl", requestId: null };

/** The name /etc/passwd gives the uid, or null. */
function passwdName(uid: number): string | null {
  try {
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((entry) => entry.split(":")[2] === String(uid));
    return line?.split(":")[0] || null;
  } catch {
    return null;
  }
}

/**
 * The OS user running the CLI, as audit events name them. Bun's userInfo() answers "unknown" where
 * Node reads the passwd database, hence the fallbacks: $USER, $LOGNAME, /etc/passwd, the uid.
 */
export function osUserName(): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers).
  }
  if (name && name !== "unknown") return name;
  const uid = process.getuid?.();
  return (
    process.env.USER ||
    process.env.LOGNAME ||
    (uid === undefined ? null : passwdName(uid)) ||
    `uid:${uid ?? "unknown"}`
  );
}

export async function operator(tenants: TenantResolver): Promise<Operator> {
  const home = await tenants.activeBySlug(PLATFORM_TENANT_SLUG).catch((error: unknown) => {
    if (error instanceof NotFoundError) {
      throw new NotFoundError("PLATFORM_NOT_SEEDED", "There is no platform tenant yet: run `saasctl seed`.");
    }
    throw error;
  });
  const principal: Principal = {
    kind: "cli",
    userId: osUserName(),
    tenantId: home.id,
    sessionId: "cli",
    role: "super_admin",
  };
  return { acting: { principal, home, tenant: home, origin: CLI_ORIGIN } };
}
