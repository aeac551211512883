import { and, desc, eq, gt, isNull, ne } from "drizzle-orm";
import type { Role } from "../../../core/domain/roles";
import type { RefreshToken, Session } from "../../../core/domain/session";
import type { TenantStatus } from "../../../core/domain/tenant";
import type {
  RefreshTokenRepository,
  RotationCandidate,
  SessionRepository,
} from "../../../core/ports/repositories";
import type { Database } from "../database";
import { type DriverRow, fixedStatements, requiredTimestampOf, timestampOf } from "../fixed-statement";
import { refreshTokens, sessions } from "../schema";

type Row = typeof sessions.$inferSelect;

const toSession = ({ revokedReason: _reason, ...session }: Row): Session => session;

export function sessionRepository(db: Database): SessionRepository {
  return {
    async create(session) {
      const [row] = await db
        .insert(sessions)
        .values({ ...session, lastUsedAt: session.createdAt })
        .returning();
      return toSession(row!);
    },
    async findById(tenantId, id) {
      const [row] = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.id, id), eq(sessions.tenantId, tenantId)));
      return row ? toSession(row) : null;
    },
    async listLive(tenantId, userId, now, limit) {
      const rows = await db
        .select()
        .from(sessions)
        .where(
          and(
            eq(sessions.tenantId, tenantId),
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            gt(sessions.expiresAt, now),
          ),
        )
        .orderBy(desc(sessions.lastUsedAt))
        .limit(limit);
      return rows.map(toSession);
    },
    async revoke({ tenantId, userId, id }, reason, at) {
      const [row] = await db
        .update(sessions)
        .set({ revokedAt: at, revokedReason: reason })
        .where(
          and(
            eq(sessions.id, id),
            eq(sessions.tenantId, tenantId),
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
          ),
        )
        .returning();
      return row ? toSession(row) : null;
    },
    async revokeAllOfUser({ tenantId, userId, exceptId }, reason, at) {
      const rows = await db
        .update(sessions)
        .set({ revokedAt: at, revokedReason: reason })
        .where(
          and(
            eq(sessions.tenantId, tenantId),
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            exceptId ? ne(sessions.id, exceptId) : undefined,
          ),
        )
        .returning();
      return rows.map(toSession);
    },
    async revokeAllOfTenant(tenantId, reason, at) {
      const rows = await db
        .update(sessions)
        .set({ revokedAt: at, revokedReason: reason })
        .where(and(eq(sessions.tenantId, tenantId), isNull(sessions.revokedAt)))
        .returning();
      return rows.map(toSession);
    },
  };
}

// The refresh path's two statements, as fixed text (fixed-statement.ts): they run on every refresh.

/** The token and its session, locked; the session's tenant status and user, read in the same trip. */
const FIND_FOR_ROTATION = `
select t.id, t.session_id, t.expires_at, t.retired_at, t.replaced_by,
       s.tenant_id, s.user_id, s.created_at as session_created_at, s.last_used_at,
       s.expires_at as session_expires_at, s.revoked_at, s.ip, s.user_agent, s.mfa,
       s.mfa_enrollment_required, tn.status as tenant_status, u.role as user_role,
       u.is_active as user_is_active
  from refresh_tokens t
  join sessions s on s.id = t.session_id
  left join tenants tn on tn.id = s.tenant_id
  left join users u on u.id = s.user_id and u.tenant_id = s.tenant_id
 where t.token_hash = $1
   for update of t, s`;

/**
 * The rotation in one statement: the successor stored, the session's other live tokens retired (the
 * presented one pointing at the successor), the session marked used. Every part sees the snapshot the
 * statement started with, so the retirement cannot see the successor; it is spared by id all the same.
 * The live tokens are found through refresh_tokens_live_idx, however often the session was refreshed.
 */
const ROTATE = `
with stored as (
  insert into refresh_tokens (id, tenant_id, session_id, token_hash, created_at, expires_at)
  values ($1, $2, $3, $4, $8, $6)
), retired as (
  update refresh_tokens
     set retired_at = $5, replaced_by = case when id = $7 then $1::uuid else replaced_by end
   where session_id = $3 and retired_at is null and id <> $1
)
update sessions set last_used_at = $5 where id = $3`;

function toCandidate(row: DriverRow): RotationCandidate {
  const session: Session = {
    id: row.session_id as string,
    tenantId: row.tenant_id as string,
    userId: row.user_id as string,
    createdAt: requiredTimestampOf(row.session_created_at),
    lastUsedAt: requiredTimestampOf(row.last_used_at),
    expiresAt: requiredTimestampOf(row.session_expires_at),
    revokedAt: timestampOf(row.revoked_at),
    ip: row.ip as string | null,
    userAgent: row.user_agent as string | null,
    mfa: row.mfa as boolean,
    mfaEnrollmentRequired: row.mfa_enrollment_required as boolean,
  };
  const token: RefreshToken = {
    id: row.id as string,
    sessionId: session.id,
    expiresAt: requiredTimestampOf(row.expires_at),
    retiredAt: timestampOf(row.retired_at),
    replacedBy: row.replaced_by as string | null,
  };
  const user =
    row.user_role === null
      ? null
      : {
          id: session.userId,
          tenantId: session.tenantId,
          role: row.user_role as Role,
          isActive: row.user_is_active as boolean,
        };
  return { token, session, tenantStatus: row.tenant_status as TenantStatus | null, user };
}

export function refreshTokenRepository(db: Database): RefreshTokenRepository {
  const run = fixedStatements(db);
  return {
    async create(token) {
      await db.insert(refreshTokens).values(token);
    },
    async findForRotation(tokenHash) {
      const [row] = await run(FIND_FOR_ROTATION, [tokenHash]);
      return row ? toCandidate(row) : null;
    },
    async rotate(from, next, at) {
      await run(ROTATE, [
        next.id,
        next.tenantId,
        next.sessionId,
        next.tokenHash,
        at.toISOString(),
        next.expiresAt.toISOString(),
        from,
        next.createdAt.toISOString(),
      ]);
    },
  };
}
