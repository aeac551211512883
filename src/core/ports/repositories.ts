import type { AuditEventInput, RequestOrigin } from "../domain/audit";
import type { Role } from "../domain/roles";
import type { RefreshToken, RevocationReason, Session } from "../domain/session";
import type { Tenant } from "../domain/tenant";
import type { User, UserCredentials } from "../domain/user";

export interface NewTenant {
  id: string;
  name: string;
  slug: string;
  plan: string;
}

export interface TenantRepository {
  findById(id: string): Promise<Tenant | null>;
  findBySlug(slug: string): Promise<Tenant | null>;
  create(tenant: NewTenant): Promise<Tenant>;
}

export interface NewUser {
  id: string;
  tenantId: string;
  email: string;
  passwordHash: string | null;
  role: Role;
  firstName?: string | null;
  lastName?: string | null;
  emailVerifiedAt?: Date | null;
}

/** Every method is scoped by tenant: a user of another tenant does not exist for it. */
export interface UserRepository {
  findById(tenantId: string, id: string): Promise<User | null>;
  findCredentialsByEmail(tenantId: string, email: string): Promise<UserCredentials | null>;
  create(user: NewUser): Promise<User>;
  recordLogin(tenantId: string, id: string, at: Date): Promise<void>;
  setPasswordHash(tenantId: string, id: string, passwordHash: string, at: Date): Promise<void>;
  markEmailVerified(tenantId: string, id: string, at: Date): Promise<void>;
  /** Throws ConflictError EMAIL_TAKEN when another user of the tenant has the address. */
  changeEmail(tenantId: string, id: string, email: string, at: Date): Promise<void>;
}

export interface NewSession {
  id: string;
  tenantId: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface SessionRepository {
  create(session: NewSession): Promise<Session>;
  findById(id: string): Promise<Session | null>;
  /** The user's sessions that are neither revoked nor expired, most recently used first. */
  listLive(tenantId: string, userId: string, now: Date, limit: number): Promise<Session[]>;
  /** Revokes the session when it is the user's and live; returns it as revoked, else null. */
  revoke(
    where: { tenantId: string; userId: string; id: string },
    reason: RevocationReason,
    at: Date,
  ): Promise<Session | null>;
  /** Revokes every live session of the user but `exceptId`; returns them as revoked. */
  revokeAllOfUser(
    where: { tenantId: string; userId: string; exceptId?: string },
    reason: RevocationReason,
    at: Date,
  ): Promise<Session[]>;
  touch(id: string, at: Date): Promise<void>;
}

export interface NewRefreshToken {
  id: string;
  sessionId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface RefreshTokenRepository {
  create(token: NewRefreshToken): Promise<void>;
  /**
   * The token with this hash and its session, both locked until the transaction ends, so concurrent
   * refreshes of one session take turns.
   */
  findForRotation(tokenHash: string): Promise<{ token: RefreshToken; session: Session } | null>;
  retire(id: string, at: Date, replacedBy: string): Promise<void>;
}

export type OneTimePurpose = "email_verification" | "password_reset" | "email_change" | "invitation";

export interface OneTimeToken {
  id: string;
  tenantId: string;
  userId: string;
  purpose: OneTimePurpose;
  newEmail: string | null;
  expiresAt: Date;
}

export interface NewOneTimeToken extends OneTimeToken {
  tokenHash: string;
  createdAt: Date;
}

/** Single-use secrets sent by email. Only their hashes are stored. */
export interface OneTimeTokenRepository {
  /** Stores the token and deletes the user's unused older tokens of the same purpose. */
  issue(token: NewOneTimeToken): Promise<void>;
  /** The unused, unexpired token with this hash and purpose, without using it. */
  peek(tokenHash: string, purpose: OneTimePurpose, now: Date): Promise<OneTimeToken | null>;
  /** Marks the token used, atomically: of two concurrent consumers only one gets it. */
  consume(tokenHash: string, purpose: OneTimePurpose, now: Date): Promise<OneTimeToken | null>;
}

export interface AuditLog {
  /** Appends one event to the tenant's hash chain. */
  append(event: AuditEventInput, origin: RequestOrigin): Promise<void>;
}

/** Locks held until the transaction ends, shared by every process on the database. */
export interface JobLocks {
  /** True when this transaction now holds the lock named `name`; false when another one does. */
  tryAcquire(name: string): Promise<boolean>;
}

export interface PurgedCounts {
  sessions: number;
  refreshTokens: number;
  oneTimeTokens: number;
}

export interface Maintenance {
  /**
   * Deletes sessions that expired or were revoked (with their refresh tokens), expired refresh
   * tokens, and one-time tokens that expired or were used.
   */
  purgeExpired(now: Date): Promise<PurgedCounts>;
}

export interface Repositories {
  tenants: TenantRepository;
  users: UserRepository;
  sessions: SessionRepository;
  refreshTokens: RefreshTokenRepository;
  oneTimeTokens: OneTimeTokenRepository;
  audit: AuditLog;
  locks: JobLocks;
  maintenance: Maintenance;
}

export interface UnitOfWork {
  /** Runs `work` in one database transaction: everything it writes commits, or nothing does. */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
}
