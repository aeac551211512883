import { sql } from "drizzle-orm";
import type { Database } from "./database";
import { rootCauseMessage } from "./db-errors";

/** The role the application's transactions enter (DB_APP_ROLE), and whether they can. */
export interface AppRoleState {
  readonly name: string;
  /** The role transactions enter with SET LOCAL ROLE, or null when the connecting user cannot. */
  active: string | null;
  /** Why the role is not entered, in one line; null when it is. */
  problem: string | null;
}

export const DEFAULT_APP_ROLE = "saas_app";
export const APP_ROLE_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export function appRoleState(name: string = DEFAULT_APP_ROLE): AppRoleState {
  if (!APP_ROLE_PATTERN.test(name))
    throw new Error(`DB_APP_ROLE "${name}" is not a plain lower-case role name.`);
  return { name, active: null, problem: "the application role has not been checked yet" };
}

interface Facts {
  me: string;
  superuser: boolean;
  mayCreateRoles: boolean;
  exists: boolean;
  bypasses: boolean;
  member: boolean;
}

async function facts(db: Database, name: string): Promise<Facts> {
  const result = await db.execute(sql`
    select current_user as me, u.rolsuper as superuser, u.rolcreaterole as "mayCreateRoles",
           r.oid is not null as exists, coalesce(r.rolsuper or r.rolbypassrls, false) as bypasses,
           r.oid is not null and pg_has_role(current_user, r.oid, 'MEMBER') as member
    from pg_roles u left join pg_roles r on r.rolname = ${name}
    where u.rolname = current_user`);
  // postgres.js answers rows; PGlite answers { rows }.
  const rows = Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows;
  return rows[0] as Facts;
}

// PostgreSQL roles belong to the cluster: processes migrating other databases may create the same
// role at the same moment, and the loser's error means it exists.
const RACE_CODES = new Set(["42710", "23505", "XX000"]);

async function tolerateRace(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    const code =
      (error as { code?: string; cause?: { code?: string } }).cause?.code ??
      (error as { code?: string }).code;
    if (!code || !RACE_CODES.has(code)) throw error;
  }
}

/**
 * Creates the role when it is missing and the connecting user may, lets the connecting user enter it,
 * and grants it the use of every table (run after each migration, so new tables are granted too).
 * Whatever cannot be done is left for the operator (README, "Row-level security") and reported by
 * `checkAppRole`.
 */
export async function provisionAppRole(db: Database, state: AppRoleState): Promise<void> {
  const role = sql.identifier(state.name);
  let known = await facts(db, state.name);
  if (!known.exists && (known.superuser || known.mayCreateRoles)) {
    await tolerateRace(db.execute(sql`create role ${role} nologin nobypassrls`));
    known = await facts(db, state.name);
  }
  if (!known.exists) return;
  if (!known.superuser && !known.member && known.mayCreateRoles) {
    await tolerateRace(db.execute(sql`grant ${role} to ${sql.identifier(known.me)}`));
  }
  try {
    await db.execute(sql`grant usage on schema public to ${role}`);
    await db.execute(sql`grant select, insert, update, delete on all tables in schema public to ${role}`);
    await db.execute(sql`grant usage, select on all sequences in schema public to ${role}`);
  } catch {
    // Not the tables' owner: the grants are the operator's (README); checkAppRole says what is missing.
  }
}

/** Decides whether transactions can enter the role, and if not, says why in one line. */
export async function checkAppRole(db: Database, state: AppRoleState): Promise<void> {
  const known = await facts(db, state.name);
  const runsAs = known.superuser
    ? `queries run as ${known.me}, a superuser, which row-level security does not bind`
    : `queries run as ${known.me}, which row-level security still binds unless it owns no tables or has BYPASSRLS`;
  let problem: string | null = null;
  if (!known.exists) problem = `database role ${state.name} does not exist and ${known.me} may not create it`;
  else if (known.bypasses) problem = `database role ${state.name} is a superuser or has BYPASSRLS`;
  else if (!known.superuser && !known.member)
    problem = `${known.me} is not a member of database role ${state.name}`;
  else problem = await enteringFails(db, state.name);
  state.active = problem ? null : state.name;
  state.problem = problem ? `${problem}; ${runsAs} (README: "Row-level security")` : null;
}

async function enteringFails(db: Database, name: string): Promise<string | null> {
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', ${name}, true)`);
      await tx.execute(sql`select 1 from tenants limit 1`);
    });
    return null;
  } catch (error) {
    return `database role ${name} cannot be used: ${rootCauseMessage(error)}`;
  }
}
