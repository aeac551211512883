import { describe, expect, test } from "bun:test";
import { getTableConfig, PgDialect } from "drizzle-orm/pg-core";
import { roleCustomisations } from "../../src/adapters/db/schema/role-customisations";
import { rolePermissions } from "../../src/adapters/db/schema/role-permissions";
import { tenants } from "../../src/adapters/db/schema/tenants";
import { users } from "../../src/adapters/db/schema/users";
import { ROLES } from "../../src/core/domain/roles";
import { SLUG_PATTERN, TENANT_STATUSES } from "../../src/core/domain/tenant";
import {
  CreateUserRequestSchema,
  Slug,
  TenantSchema,
  UpdateUserRequestSchema,
  UserSchema,
} from "../../src/http/schemas";

const dialect = new PgDialect();

function checkSql(table: Parameters<typeof getTableConfig>[0], name: string) {
  const check = getTableConfig(table).checks.find((c) => c.name === name);
  return check ? dialect.sqlToQuery(check.value).sql : undefined;
}

/** The values a TypeBox union of literals (`anyOf`) or UnionEnum (`enum`) accepts. */
const literalsOf = (schema: { anyOf?: { const: string }[]; enum?: readonly string[] }) =>
  schema.anyOf?.map((s) => s.const) ?? schema.enum;

describe("the core vocabulary is the only spelling of roles, tenant statuses and slugs", () => {
  test("every role column's enum and check constraint list the core roles in order", () => {
    const spelled = ROLES.map((role) => `'${role}'`).join(", ");
    for (const [table, check] of [
      [users, "users_role_check"],
      [roleCustomisations, "role_customisations_role_check"],
      [rolePermissions, "role_permissions_role_check"],
    ] as const) {
      const role = getTableConfig(table).columns.find((c) => c.name === "role");
      expect(role?.enumValues).toEqual([...ROLES]);
      expect(checkSql(table, check)).toBe(`"${getTableConfig(table).name}"."role" in (${spelled})`);
    }
  });

  test("the tenants' status column and its check list the core statuses in order", () => {
    const status = getTableConfig(tenants).columns.find((c) => c.name === "status");
    expect(status?.enumValues).toEqual([...TENANT_STATUSES]);
    expect(checkSql(tenants, "tenants_status_check")).toBe(
      `"tenants"."status" in ('active', 'suspended', 'cancelled')`,
    );
  });

  test("the HTTP schemas accept exactly the core roles, statuses and slug pattern", () => {
    expect(literalsOf(CreateUserRequestSchema.properties.role)).toEqual([...ROLES]);
    expect(literalsOf(UpdateUserRequestSchema.properties.role)).toEqual([...ROLES]);
    expect(literalsOf(UserSchema.properties.role)).toEqual([...ROLES]);
    expect(literalsOf(TenantSchema.properties.status)).toEqual([...TENANT_STATUSES]);
    expect(Slug.pattern).toBe(SLUG_PATTERN.source);
  });
});
