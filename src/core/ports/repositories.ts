import type { AuditEventInput, RequestOrigin } from "../domain/audit";
import type { DataScope } from "../domain/data-scope";
import type { FlagFields, FlagRecord, SegmentRecord } from "../domain/flags/flag-record";
import type { FlagConstraint } from "../domain/flags/types";
import type { PageRequest } from "../domain/pagination";
import type { Permission } from "../domain/permissions";
import type { StoredGrants } from "../domain/role-grants";
import type { Role } from "../domain/roles";
import type { RefreshToken, RevocationReason, Session } from "../domain/session";
import type { Tenant, TenantStatus } from "../domain/tenant";
import type { User, UserCredentials } from "../domain/user";
import type { ApiKeyRepository } from "./api-key-repository";
import type { MfaRepository } from "./mfa-repository";
import type { OneTimeTokenRepository } from "./one-time-token-repository";
import type { WebhookEndpointRepository } from "./webhook-endpoint-repository";

export type {
  NewOneTimeToken,
  OneTimePurpose,
  OneTimeToken,
  OneTimeTokenRepository,
} from "./one-time-token-repository";

export interface NewTenant {
  id: string;
  name: string;
  slug: string;
  plan: string;
  domain?: string | null;
  settings?: Record<string, unknown>;
}

export interface TenantPatch {
  name?: string;
  plan?: string;
  domain?: string | null;
  settings?: Record<string, unknown>;
}

export interface TenantRepository {
  findById(id: string): Promise<Tenant | null>;
  findBySlug(slug: string): Promise<Tenant | null>;
  /** Throws ConflictError SLUG_TAKEN or DOMAIN_TAKEN. */
  create(tenant: NewTenant): Promise<Tenant>;
  /** Up to `page.limit + 1` tenants in id order after `page.after`. */
  list(filter: { status?: TenantStatus }, page: PageRequest): Promise<Tenant[]>;
  /** The updated tenant, or null when there is none with this id. Throws ConflictError DOMAIN_TAKEN. */
  update(id: string, patch: TenantPatch, at: Date): Promise<Tenant | null>;
  setStatus(id: string, status: TenantStatus, at: Date): Promise<Tenant | null>;
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

export interface UserFilter {
  emailPrefix?: string;
  role?: Role;
  isActive?: boolean;
}

export interface UserPatch {
  firstName?: string | null;
  lastName?: string | null;
  role?: Role;
  isActive?: boolean;
}

/** Every method is scoped by tenant: a user of another tenant does not exist for it. */
export interface UserRepository {
  /**
   * The user, locked until the transaction ends (FOR UPDATE), so a concurrent change of their
   * role or activity waits for this transaction, or this one sees it.
   */
  findByIdLocked(tenantId: string, id: string): Promise<User | null>;
  /** Up to `page.limit + 1` users of the tenant in id order after `page.after`. */
  list(tenantId: string, filter: UserFilter, page: PageRequest): Promise<User[]>;
  update(tenantId: string, id: string, patch: UserPatch, at: Date): Promise<User | null>;
  delete(tenantId: string, id: string): Promise<boolean>;
  findById(tenantId: string, id: string): Promise<User | null>;
  findCredentialsByEmail(tenantId: string, email: string): Promise<UserCredentials | null>;
  create(user: NewUser): Promise<User>;
  recordLogin(tenantId: string, id: string, at: Date): Promise<void>;
  setPasswordHash(tenantId: string, id: string, passwordHash: string, at: Date): Promise<void>;
  markEmailVerified(tenantId: string, id: string, at: Date): Promise<void>;
  /** Throws ConflictError EMAIL_TAKEN when another user of the tenant has the address. */
  changeEmail(tenantId: string, id: string, email: string, at: Date): Promise<void>;
}

export interface NewSession extends Pick<Session, "mfa" | "mfaEnrollmentRequired"> {
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
  findById(tenantId: string, id: string): Promise<Session | null>;
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
  /** Revokes every live session of the tenant; returns them as revoked. */
  revokeAllOfTenant(tenantId: string, reason: RevocationReason, at: Date): Promise<Session[]>;
}

export interface NewRefreshToken {
  id: string;
  /** The session's tenant. */
  tenantId: string;
  sessionId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
}

/** What a refresh reads with the token it rotates. */
export interface RotationCandidate {
  token: RefreshToken;
  session: Session;
  /** The status of the session's tenant; null if it is gone. */
  tenantStatus: TenantStatus | null;
  /** The session's user; null if it is gone. */
  user: Pick<User, "id" | "tenantId" | "role" | "isActive"> | null;
}

export interface RefreshTokenRepository {
  create(token: NewRefreshToken): Promise<void>;
  /**
   * The token with this hash and its session, both locked until the transaction ends, so concurrent
   * refreshes of one session take turns; with the session's tenant status and user, read (not
   * locked) in the same statement.
   */
  findForRotation(tokenHash: string): Promise<RotationCandidate | null>;
  /**
   * Stores `next`, retires every live token of its session but `next`, recording `next` as the
   * successor of `from` (a session keeps one live token), and marks the session used at `at`.
   */
  rotate(from: string, next: NewRefreshToken, at: Date): Promise<void>;
}

export interface AuditLog {
  /** Appends one event to the tenant's hash chain. */
  append(event: AuditEventInput, origin: RequestOrigin): Promise<void>;
}

/** Claims on background job runs, shared by every process on the database. */
export interface JobLocks {
  /**
   * True when this caller may run the job `name` now: no run of it started on any instance within
   * the last `intervalSeconds`. The claim is recorded at once, so of several instances asking in one
   * interval only the first is told true.
   */
  claim(name: string, now: Date, intervalSeconds: number): Promise<boolean>;
}

export interface PurgedCounts {
  sessions: number;
  refreshTokens: number;
  oneTimeTokens: number;
  mfaChallenges: number;
}

export interface Maintenance {
  /**
   * Deletes sessions that expired or were revoked (with their refresh tokens), expired refresh
   * tokens, one-time tokens that expired or were used, and MFA sign-in steps that expired or ended.
   */
  purgeExpired(now: Date): Promise<PurgedCounts>;
}

/** Per-tenant grants of the built-in roles; see StoredGrants for what an absent role means. */
export interface RolePermissionRepository {
  /** The stored grants of the tenant's customised roles, or of `role` alone. */
  grantsOf(tenantId: string, role?: Role): Promise<StoredGrants>;
  /** Makes `permissions` the role's whole own grants in the tenant; the role is customised even when empty. */
  replace(tenantId: string, role: Role, permissions: readonly Permission[]): Promise<void>;
  /** Holds back every other role edit of the tenant until this transaction ends. */
  lock(tenantId: string): Promise<void>;
}

export interface NewFlag extends FlagFields {
  id: string;
  tenantId: string | null;
  key: string;
}

/** The stored definitions of one scope: a tenant's own, or the platform-wide ones (tenantId null). */
export interface FlagDefinitions {
  flags: FlagRecord[];
  segments: SegmentRecord[];
}

export interface FeatureFlagRepository {
  /** With `lock`, the row stays locked until the transaction ends. */
  findById(id: string, options?: { lock?: boolean }): Promise<FlagRecord | null>;
  findByKey(tenantId: string | null, key: string): Promise<FlagRecord | null>;
  /**
   * Up to `page.limit + 1` flags in id order after `page.after`: the tenant's own and the
   * platform-wide ones whose key the tenant does not use.
   */
  listVisible(tenantId: string, page: PageRequest): Promise<FlagRecord[]>;
  /** Throws ConflictError FLAG_KEY_TAKEN when the scope already has the key. */
  create(flag: NewFlag): Promise<FlagRecord>;
  /** Sets the fields and counts a new version; null when there is no flag with this id. */
  update(id: string, fields: Partial<FlagFields>, at: Date): Promise<FlagRecord | null>;
  delete(id: string): Promise<boolean>;
  definitions(tenantId: string | null): Promise<FlagDefinitions>;
  /**
   * Locks one scope's definitions (null: the platform-wide ones) until the transaction ends, so
   * checks that read the whole scope (its bounds, who depends on what) see every earlier write.
   * Shared holders do not wait for each other; an exclusive holder waits for all.
   */
  lockScope(tenantId: string | null, mode: "shared" | "exclusive"): Promise<void>;
  /**
   * How many flags depend on the flag `key` of this scope. For a platform-wide key that counts
   * platform-wide flags and the flags of every tenant without its own flag of that key.
   */
  countDependents(tenantId: string | null, key: string): Promise<number>;
}

export interface NewSegment {
  id: string;
  tenantId: string | null;
  name: string;
  description: string | null;
  constraints: FlagConstraint[];
}

export type SegmentPatch = Partial<Pick<SegmentRecord, "name" | "description" | "constraints">>;

export interface SegmentRepository {
  /** With `lock`, the row stays locked until the transaction ends. */
  findById(id: string, options?: { lock?: boolean }): Promise<SegmentRecord | null>;
  /** Up to `page.limit + 1` of the tenant's segments and the platform-wide ones, in id order. */
  listVisible(tenantId: string, page: PageRequest): Promise<SegmentRecord[]>;
  /** Throws ConflictError SEGMENT_NAME_TAKEN when the scope already has the name. */
  create(segment: NewSegment): Promise<SegmentRecord>;
  update(id: string, patch: SegmentPatch, at: Date): Promise<SegmentRecord | null>;
  delete(id: string): Promise<boolean>;
  /** The keys of the flags whose strategies refer to the segment. */
  usedBy(id: string): Promise<string[]>;
  /** The flags, of any scope, whose strategies refer to the segment. */
  flagsUsing(id: string): Promise<FlagRecord[]>;
}

export interface Repositories {
  apiKeys: ApiKeyRepository;
  tenants: TenantRepository;
  users: UserRepository;
  sessions: SessionRepository;
  refreshTokens: RefreshTokenRepository;
  oneTimeTokens: OneTimeTokenRepository;
  audit: AuditLog;
  locks: JobLocks;
  maintenance: Maintenance;
  rolePermissions: RolePermissionRepository;
  flags: FeatureFlagRepository;
  segments: SegmentRepository;
  mfa: MfaRepository;
  webhookEndpoints: WebhookEndpointRepository;
}

export interface UnitOfWork {
  /**
   * Runs `work` in one database transaction that sees only the rows `scope` admits: everything it
   * writes commits, or nothing does. Reads outside a transaction go through here too.
   */
  transaction<T>(scope: DataScope, work: (repos: Repositories) => Promise<T>): Promise<T>;
}
