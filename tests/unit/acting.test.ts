import { describe, expect, test } from "bun:test";
import { type Acting, actsOnSelf, successEvent } from "../../src/core/domain/acting";
import type { Permission } from "../../src/core/domain/permissions";
import { requirePermission } from "../../src/core/usecases/auth/require-permission";
import { requireUserPermission } from "../../src/core/usecases/users/user-scope";

const home = { id: "t-home", slug: "platform", name: "Platform", plan: "free", status: "active" as const };
const other = { id: "t-other", slug: "acme", name: "Acme", plan: "free", status: "active" as const };
const origin = { ip: "203.0.113.1", userAgent: "ua", requestId: "r-1" };
const principal = { userId: "u-1", tenantId: home.id, sessionId: "s-1", role: "super_admin" as const };
const acting = (tenant = home, kind?: "cli"): Acting => ({
  principal: { ...principal, ...(kind ? { kind } : {}) },
  home,
  tenant,
  origin,
});

/** An Authorize that grants exactly `held`, recording what was asked. */
function granting(...held: Permission[]) {
  const asked: Permission[] = [];
  const authorize = async (_principal: unknown, tenant: { id: string }, permission: Permission) => {
    asked.push(permission);
    return tenant.id === home.id && held.includes(permission);
  };
  return { authorize, asked };
}

describe("acting", () => {
  test("a success event is recorded in the tenant acted on, by the principal", () => {
    expect(successEvent(acting(other), "user.created", { type: "user", id: "u-2" }, { a: 1 })).toEqual({
      tenantId: other.id,
      actor: { type: "user", id: "u-1", display: null },
      action: "user.created",
      resource: { type: "user", id: "u-2" },
      outcome: "success",
      metadata: { a: 1 },
    });
  });

  test("a success event may name its tenant, and an operator is recorded as the CLI", () => {
    const event = successEvent(
      acting(other, "cli"),
      "tenant.created",
      { type: "tenant", id: "t-9" },
      {},
      "t-9",
    );
    expect(event).toMatchObject({ tenantId: "t-9", actor: { type: "cli", id: "u-1", display: "u-1" } });
  });

  test("acting on yourself means your own id in your own tenant", () => {
    expect(actsOnSelf(acting(), "u-1")).toBe(true);
    expect(actsOnSelf(acting(other), "u-1")).toBe(false);
    expect(actsOnSelf(acting(), "u-2")).toBe(false);
  });

  test("a missing permission is refused with FORBIDDEN naming it", async () => {
    const { authorize } = granting("users:read");
    await requirePermission(authorize, acting(), "users:read");
    await expect(requirePermission(authorize, acting(), "users:delete")).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "This action needs the users:delete permission.",
    });
  });

  test("users of the home tenant need only the permission, evaluated at home", async () => {
    const { authorize, asked } = granting("users:update");
    await requireUserPermission(authorize, acting(), "users:update");
    expect(asked).toEqual(["users:update"]);
  });

  test("users of another tenant also need platform:users", async () => {
    await expect(
      requireUserPermission(granting("users:update").authorize, acting(other), "users:update"),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "This action needs the platform:users permission.",
    });
    await requireUserPermission(
      granting("users:update", "platform:users").authorize,
      acting(other),
      "users:update",
    );
  });
});
