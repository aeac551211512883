import type { repositories } from "../src/adapters/db/unit-of-work";
import type { Acting } from "../src/core/domain/acting";
import { tenantScope } from "../src/core/domain/data-scope";
import type { Tenant } from "../src/core/domain/tenant";
import type { UnitOfWork } from "../src/core/ports/repositories";

type Repositories = ReturnType<typeof repositories>;

/** An admin stored in `home` (straight through the repositories) and their acting context. */
export async function adminActing(
  repos: Repositories,
  ids: { next(): string },
  home: Tenant,
  passwordHash: string,
): Promise<Acting> {
  const userId = ids.next();
  await repos.users.create({
    id: userId,
    tenantId: home.id,
    email: `admin@${home.slug}.example.com`,
    passwordHash,
    role: "admin",
  });
  return {
    principal: { userId, tenantId: home.id, sessionId: "bench", role: "admin" },
    home,
    tenant: home,
    origin: { ip: null, userAgent: null, requestId: null },
  };
}

/**
 * The smallest write there is: one transaction appending one audit event of a catalogued change
 * (`flag.updated`), which a subscribed webhook endpoint receives.
 */
export function auditedWrite(uow: UnitOfWork, tenantId: string, actorId: string) {
  return () =>
    uow.transaction(tenantScope(tenantId), (repos) =>
      repos.audit.append(
        {
          tenantId,
          actor: { type: "user", id: actorId, display: "admin" },
          action: "flag.updated",
          resource: { type: "flag", id: "w1" },
          outcome: "success",
        },
        { ip: "203.0.113.9", userAgent: null, requestId: null },
      ),
    );
}

/** An endpoint of `tenantId` subscribed to every flag event, stored straight through the repositories. */
export async function subscribeToFlags(repos: Repositories, ids: { next(): string }, tenantId: string) {
  await repos.webhookEndpoints.create({
    id: ids.next(),
    tenantId,
    url: "https://hooks.example.com/flags",
    description: null,
    events: ["flag.*"],
    enabled: true,
    secretSealed: "unused",
    createdAt: new Date(),
  });
}
