import type { Acting } from "../../domain/acting";
import type { ApiKey } from "../../domain/api-key";
import { scopeOf } from "../../domain/data-scope";
import { type Page, type PageRequest, toPage } from "../../domain/pagination";
import type { UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { requirePermission } from "../auth/require-permission";

export interface ListApiKeysDeps {
  authorize: Authorize;
  uow: Pick<UnitOfWork, "transaction">;
}

/** The acting tenant's unrevoked keys, oldest first. Secrets are never stored, so never listed. */
export function makeListApiKeys({ authorize, uow }: ListApiKeysDeps) {
  return async function listApiKeys(acting: Acting, page: PageRequest): Promise<Page<ApiKey>> {
    await requirePermission(authorize, acting, "api_keys:manage");
    const keys = await uow.transaction(scopeOf(acting), (repos) =>
      repos.apiKeys.list(acting.tenant.id, page),
    );
    return toPage(keys, page.limit);
  };
}

export type ListApiKeys = ReturnType<typeof makeListApiKeys>;
