import { type Acting, successEvent } from "../../domain/acting";
import { scopeOf } from "../../domain/data-scope";
import { NotFoundError } from "../../domain/errors";
import { isUuid } from "../../domain/uuid";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { requirePermission } from "../auth/require-permission";
import { publishApiKeyRevocation } from "./api-key-state";

export interface RevokeApiKeyDeps {
  authorize: Authorize;
  uow: UnitOfWork;
  cache: Cache;
  clock: Clock;
  apiKeyCacheTtlSeconds: number;
}

const notFound = () => new NotFoundError("API_KEY_NOT_FOUND", "The tenant has no live API key with this id.");

/**
 * Revokes a key of the acting tenant, audited in the same transaction; once committed its revoked
 * state is published, so every instance refuses the key from its next request.
 */
export function makeRevokeApiKey({ authorize, uow, cache, clock, apiKeyCacheTtlSeconds }: RevokeApiKeyDeps) {
  return async function revokeApiKey(acting: Acting, id: string): Promise<void> {
    await requirePermission(authorize, acting, "api_keys:manage");
    if (!isUuid(id)) throw notFound();
    const revoked = await uow.transaction(scopeOf(acting), async (repos) => {
      const stored = await repos.apiKeys.revoke(acting.tenant.id, id, clock.now());
      if (!stored) throw notFound();
      await repos.audit.append(
        successEvent(
          acting,
          "api_key.revoked",
          { type: "api_key", id },
          {
            name: stored.key.name,
            kind: stored.key.kind,
            prefix: stored.key.prefix,
          },
        ),
        acting.origin,
      );
      return stored;
    });
    await publishApiKeyRevocation(cache, revoked, apiKeyCacheTtlSeconds);
  };
}

export type RevokeApiKey = ReturnType<typeof makeRevokeApiKey>;
