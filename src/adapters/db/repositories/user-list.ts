import { and, asc, eq, getTableColumns, gt, like, type Placeholder, sql } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import type { User } from "../../../core/domain/user";
import type { UserFilter } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { driverClientOf } from "../driver-client";
import { users } from "../schema";

/**
 * A tenant's users in id order, filtered, from a cursor on: the one read every admin page makes, so
 * its statement is built once per process instead of once per request.
 *
 * drizzle builds the SQL text from the query builder on every call, and a prepared drizzle query is
 * bound to the database handle it came from; every request runs in a scoped transaction of its own,
 * whose handle is new each time, so caching the prepared query per handle rebuilt it per request.
 * Here drizzle builds each statement's text once (one per combination of filters, at most 16, with
 * placeholders for every value), and each request sends that text, prepared, on its transaction's
 * own client, then maps the rows with the same column definitions drizzle would. drizzle's table
 * stays the single source of the column list, and the statement runs inside the transaction, so
 * row-level security applies to it as to any other.
 */

// No list selects the password hash: nobody listing needs it.
const { passwordHash: _hash, ...listedColumns } = getTableColumns(users);
const fields = Object.entries(listedColumns);

export interface UserListQuery {
  tenantId: string;
  filter: UserFilter;
  after: string | null;
  /** Rows to read (the page's limit plus one, to know whether another page follows). */
  rows: number;
}

interface Statement {
  text: string;
  /** The query's values in the statement's parameter order. */
  values(query: UserListQuery, emailPattern: string | undefined): unknown[];
}

const EMAIL = 1;
const ROLE = 2;
const ACTIVE = 4;
const AFTER = 8;

const statements: Statement[] = [];

function statementFor(shape: number): Statement {
  let statement = statements[shape];
  if (!statement) {
    statement = buildStatement(shape);
    statements[shape] = statement;
  }
  return statement;
}

function buildStatement(shape: number): Statement {
  const placeholder = (name: string) => sql.placeholder(name);
  const { sql: text, params } = new QueryBuilder()
    .select(listedColumns)
    .from(users)
    .where(
      and(
        eq(users.tenantId, placeholder("tenantId")),
        shape & EMAIL ? like(users.email, placeholder("email")) : undefined,
        shape & ROLE ? eq(users.role, placeholder("role")) : undefined,
        shape & ACTIVE ? eq(users.isActive, placeholder("isActive")) : undefined,
        shape & AFTER ? gt(users.id, placeholder("after")) : undefined,
      ),
    )
    .orderBy(asc(users.id))
    .limit(placeholder("rows"))
    .toSQL();
  const order = params.map((param) => (param as Placeholder).name);
  return {
    text,
    values: (query, email) =>
      order.map((name) => {
        switch (name) {
          case "tenantId":
            return query.tenantId;
          case "email":
            return email;
          case "role":
            return query.filter.role;
          case "isActive":
            return query.filter.isActive;
          case "after":
            return query.after;
          case "rows":
            return query.rows;
          default:
            throw new Error(`user list: no value for the placeholder ${name}`);
        }
      }),
  };
}

/** LIKE pattern for a prefix, with LIKE's own wildcards taken literally. */
const prefixPattern = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The PostgreSQL types whose text drizzle's columns decode themselves (timestamp with time zone). */
const TIMESTAMPTZ = 1184;
const asText = (value: string) => value;
const pgliteOptions = { rowMode: "array", parsers: { [TIMESTAMPTZ]: asText } } as const;

interface PostgresClient {
  unsafe(text: string, params: unknown[], options: { prepare: boolean }): { values(): Promise<unknown[][]> };
}
interface PgliteClient {
  query(text: string, params: unknown[], options: typeof pgliteOptions): Promise<{ rows: unknown[][] }>;
}

/**
 * The rows as arrays in the columns' order, timestamps as PostgreSQL's text (as drizzle reads them:
 * its postgres.js client leaves timestamps unparsed, and for PGlite it asks the same per query).
 * The handle is a transaction or a database of either driver: postgres.js clients have `unsafe`,
 * PGlite's transactions and instances `query`.
 */
async function rawRows(db: Database, text: string, params: unknown[]): Promise<unknown[][]> {
  const client = driverClientOf(db) as unknown as PostgresClient | PgliteClient;
  if ("unsafe" in client) return client.unsafe(text, params, { prepare: true }).values();
  return (await client.query(text, params, pgliteOptions)).rows;
}

function toUser(row: unknown[]): User {
  const user: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) {
    const [key, column] = fields[i]!;
    const value = row[i];
    user[key] = value === null ? null : column.mapFromDriverValue(value);
  }
  return user as unknown as User;
}

export async function listUsers(db: Database, query: UserListQuery): Promise<User[]> {
  const { filter } = query;
  const shape =
    (filter.emailPrefix ? EMAIL : 0) |
    (filter.role ? ROLE : 0) |
    (filter.isActive === undefined ? 0 : ACTIVE) |
    (query.after ? AFTER : 0);
  const statement = statementFor(shape);
  const email = filter.emailPrefix ? prefixPattern(filter.emailPrefix) : undefined;
  const rows = await rawRows(db, statement.text, statement.values(query, email));
  return rows.map(toUser);
}
