import { type Acting, successEvent } from "../../domain/acting";
import {
  type ApiKey,
  type ApiKeyKind,
  allowedOriginsFor,
  displayPrefix,
  newApiKeySecret,
  permissionsWithin,
} from "../../domain/api-key";
import { scopeOf } from "../../domain/data-scope";
import { ForbiddenError, ValidationError } from "../../domain/errors";
import type { Permission } from "../../domain/permissions";
import { hashSecretToken } from "../../domain/secret-token";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { requirePerson } from "../auth/person-only";
import { requirePermission } from "../auth/require-permission";
import type { EffectivePermissions } from "../roles/effective-permissions";
import { ceilingRole } from "./key-ceiling";

export interface CreateApiKeyDeps {
  authorize: Authorize;
  permissions: Pick<EffectivePermissions, "effectivePermissions">;
  uow: UnitOfWork;
  clock: Clock;
  ids: IdGenerator;
}

export interface NewApiKeyInput {
  name: string;
  kind: ApiKeyKind;
  /** For `api` keys only. */
  permissions?: Permission[];
  expiresAt?: Date | null;
  /** For `frontend` keys only. */
  allowedOrigins?: string[];
}

/**
 * Creates a key in the acting tenant and returns its secret, the only time it is ever seen. A person
 * creates keys for their own tenant, holding at most what they hold there; an operator may create
 * one in any tenant, holding at most what the tenant's highest role may. A key cannot create keys.
 */
export function makeCreateApiKey({ authorize, permissions, uow, clock, ids }: CreateApiKeyDeps) {
  return async function createApiKey(
    acting: Acting,
    input: NewApiKeyInput,
  ): Promise<{ key: ApiKey; secret: string }> {
    const { principal, tenant } = acting;
    requirePerson(principal);
    await requirePermission(authorize, acting, "api_keys:manage");
    if (principal.kind !== "cli" && tenant.id !== acting.home.id) {
      throw new ForbiddenError("KEY_TENANT_MISMATCH", "API keys are created in your own tenant.");
    }
    const now = clock.now();
    const requested = input.permissions ?? [];
    if (input.kind !== "api" && requested.length > 0) {
      throw new ValidationError("PERMISSIONS_NOT_ALLOWED", "Only api keys hold permissions.", [
        { field: "permissions", message: `A ${input.kind} key holds no permissions.` },
      ]);
    }
    if (input.expiresAt && input.expiresAt <= now) {
      throw new ValidationError("INVALID_EXPIRY", "A key must expire in the future.", [
        { field: "expiresAt", message: "Must be in the future." },
      ]);
    }
    const ceiling = await permissions.effectivePermissions(tenant, ceilingRole(principal, tenant));
    const held = permissionsWithin(requested, ceiling);
    const allowedOrigins = allowedOriginsFor(input.kind, input.allowedOrigins);
    const name = input.name.trim();
    if (name.length === 0) {
      throw new ValidationError("INVALID_NAME", "A key needs a name.", [
        { field: "name", message: "Must not be blank." },
      ]);
    }

    const secret = newApiKeySecret(input.kind);
    const key = await uow.transaction(scopeOf(acting), async (repos) => {
      const created = await repos.apiKeys.create({
        id: ids.next(),
        tenantId: tenant.id,
        kind: input.kind,
        name,
        secretHash: hashSecretToken(secret),
        prefix: displayPrefix(input.kind, secret),
        permissions: held,
        allowedOrigins,
        createdBy: { type: principal.kind === "cli" ? "cli" : "user", id: principal.userId },
        createdAt: now,
        expiresAt: input.expiresAt ?? null,
      });
      await repos.audit.append(
        successEvent(
          acting,
          "api_key.created",
          { type: "api_key", id: created.id },
          {
            name,
            kind: created.kind,
            prefix: created.prefix,
            permissions: held,
            allowedOrigins,
            expiresAt: created.expiresAt?.toISOString() ?? null,
          },
        ),
        acting.origin,
      );
      return created;
    });
    return { key, secret };
  };
}

export type CreateApiKey = ReturnType<typeof makeCreateApiKey>;
