import type { Acting } from "../../domain/acting";
import type { ApiKey } from "../../domain/api-key";
import { type Page, type PageRequest, toPage } from "../../domain/pagination";
import type { ApiKeyRepository } from "../../ports/api-key-repository";
import type { Authorize } from "../auth/authorize";
import { requirePermission } from "../auth/require-permission";

export interface ListApiKeysDeps {
  authorize: Authorize;
  apiKeys: Pick<ApiKeyRepository, "list">;
}

/** The acting tenant's unrevoked keys, oldest first. Secrets are never stored, so never listed. */
export function makeListApiKeys({ authorize, apiKeys }: ListApiKeysDeps) {
  return async function listApiKeys(acting: Acting, page: PageRequest): Promise<Page<ApiKey>> {
    await requirePermission(authorize, acting, "api_keys:manage");
    return toPage(await apiKeys.list(acting.tenant.id, page), page.limit);
  };
}

export type ListApiKeys = ReturnType<typeof makeListApiKeys>;
