import type { Clock } from "../../core/ports/clock";
import type { IdGenerator } from "../../core/ports/id-generator";
import type { Repositories, UnitOfWork } from "../../core/ports/repositories";
import type { Database } from "./database";
import { auditLog } from "./repositories/audit-log";
import { featureFlagRepository } from "./repositories/feature-flag-repository";
import { jobLocks, maintenance } from "./repositories/maintenance";
import { oneTimeTokenRepository } from "./repositories/one-time-token-repository";
import { rolePermissionRepository } from "./repositories/role-permission-repository";
import { segmentRepository } from "./repositories/segment-repository";
import { refreshTokenRepository, sessionRepository } from "./repositories/session-repository";
import { tenantRepository } from "./repositories/tenant-repository";
import { userRepository } from "./repositories/user-repository";

export function repositories(db: Database, clock: Clock, ids: IdGenerator): Repositories {
  return {
    tenants: tenantRepository(db),
    users: userRepository(db),
    sessions: sessionRepository(db),
    refreshTokens: refreshTokenRepository(db),
    oneTimeTokens: oneTimeTokenRepository(db),
    audit: auditLog(db, clock, ids),
    locks: jobLocks(db),
    maintenance: maintenance(db),
    rolePermissions: rolePermissionRepository(db),
    flags: featureFlagRepository(db),
    segments: segmentRepository(db),
  };
}

export function unitOfWork(db: Database, clock: Clock, ids: IdGenerator): UnitOfWork {
  return {
    transaction: (work) => db.transaction((tx) => work(repositories(tx as unknown as Database, clock, ids))),
  };
}
