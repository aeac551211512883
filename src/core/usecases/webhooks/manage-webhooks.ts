import { type Acting, successEvent } from "../../domain/acting";
import { scopeOf } from "../../domain/data-scope";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../domain/errors";
import { type Page, type PageRequest, toPage } from "../../domain/pagination";
import { PLATFORM_TENANT_SLUG } from "../../domain/tenant";
import { isUuid } from "../../domain/uuid";
import type { WebhookEndpoint } from "../../domain/webhook";
import { eventPatternProblems, WEBHOOK_TEST_EVENT } from "../../domain/webhook-events";
import { newWebhookSecret, PREVIOUS_SECRET_TTL_MS } from "../../domain/webhook-secret";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { Repositories, UnitOfWork } from "../../ports/repositories";
import type { SecretBox } from "../../ports/secret-box";
import type { Authorize } from "../auth/authorize";
import { requirePermission } from "../auth/require-permission";
import type { CheckWebhookTarget } from "./check-webhook-target";
import type { WebhookSubscriberCache } from "./subscriber-cache";

export interface ManageWebhooksDeps {
  authorize: Authorize;
  uow: UnitOfWork;
  /** Told after every committed change of which endpoints receive what. */
  subscribers: Pick<WebhookSubscriberCache, "publish">;
  checkTarget: CheckWebhookTarget;
  box: Pick<SecretBox, "seal">;
  clock: Clock;
  ids: IdGenerator;
}

export interface WebhookEndpointInput {
  url: string;
  events: string[];
  description?: string | null;
  enabled?: boolean;
}

export type WebhookEndpointChange = Partial<WebhookEndpointInput>;

/** An endpoint with its signing secret: only in the answer to its creation or rotation. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

const notFound = () =>
  new NotFoundError("WEBHOOK_NOT_FOUND", "The tenant has no webhook endpoint with this id.");

function validEvents(events: string[]): string[] {
  const unique = [...new Set(events)];
  const problems = eventPatternProblems(unique);
  if (problems.length > 0) {
    throw new ValidationError("UNKNOWN_WEBHOOK_EVENT", "Some event patterns match no event.", problems);
  }
  return unique;
}

function validDescription(description: string | null | undefined): string | null | undefined {
  if (description === undefined || description === null) return description;
  const trimmed = description.trim();
  return trimmed === "" ? null : trimmed;
}

/** What an audit record says of an endpoint: everything but secrets. */
const described = (endpoint: WebhookEndpoint) => ({
  url: endpoint.url,
  events: endpoint.events,
  enabled: endpoint.enabled,
  description: endpoint.description,
});

/**
 * A tenant's webhook endpoints, with webhooks:manage (API keys holding it included). The tenant is
 * the one acted on; the platform tenant has none, so platform events reach no endpoint. URLs are
 * checked (scheme, resolved addresses) before they are stored; each change is audited in its own
 * transaction, and that audit event is itself delivered to the endpoints subscribed to it.
 */
export function makeManageWebhooks(deps: ManageWebhooksDeps) {
  const { authorize, uow, subscribers, checkTarget, box, clock, ids } = deps;

  /** After a committed change: which of the tenant's endpoints receive what, read in its scope. */
  function publishSubscribers(acting: Acting) {
    const tenantId = acting.tenant.id;
    return subscribers.publish(tenantId, () =>
      uow.transaction(scopeOf(acting), (repos) => repos.webhookEndpoints.subscribers(tenantId)),
    );
  }

  async function allowed(acting: Acting): Promise<void> {
    await requirePermission(authorize, acting, "webhooks:manage");
  }

  async function audited<T>(
    acting: Acting,
    action: string,
    id: string,
    work: (repos: Repositories) => Promise<{ result: T; metadata: Record<string, unknown> }>,
  ): Promise<T> {
    return uow.transaction(scopeOf(acting), async (repos) => {
      const { result, metadata } = await work(repos);
      await repos.audit.append(
        successEvent(acting, action, { type: "webhook", id }, metadata),
        acting.origin,
      );
      return result;
    });
  }

  return {
    async create(acting: Acting, input: WebhookEndpointInput): Promise<EndpointWithSecret> {
      await allowed(acting);
      if (acting.tenant.slug === PLATFORM_TENANT_SLUG) {
        throw new ForbiddenError(
          "PLATFORM_WEBHOOKS",
          "The platform tenant has no webhooks; act on a tenant.",
        );
      }
      const events = validEvents(input.events);
      const target = await checkTarget(input.url);
      const secret = newWebhookSecret();
      const id = ids.next();
      const endpoint = await audited(acting, "webhook.created", id, async (repos) => {
        const created = await repos.webhookEndpoints.create({
          id,
          tenantId: acting.tenant.id,
          url: target.url.href,
          description: validDescription(input.description) ?? null,
          events,
          enabled: input.enabled ?? true,
          secretSealed: box.seal(secret),
          createdAt: clock.now(),
        });
        return { result: created, metadata: described(created) };
      });
      await publishSubscribers(acting);
      return { endpoint, secret };
    },

    async list(acting: Acting, page: PageRequest): Promise<Page<WebhookEndpoint>> {
      await allowed(acting);
      const rows = await uow.transaction(scopeOf(acting), (repos) =>
        repos.webhookEndpoints.list(acting.tenant.id, page),
      );
      return toPage(rows, page.limit);
    },

    async get(acting: Acting, id: string): Promise<WebhookEndpoint> {
      await allowed(acting);
      const endpoint = isUuid(id)
        ? await uow.transaction(scopeOf(acting), (repos) =>
            repos.webhookEndpoints.findById(acting.tenant.id, id),
          )
        : null;
      if (!endpoint) throw notFound();
      return endpoint;
    },

    /** Changes what is given; `enabled: true` also lifts an automatic disabling. */
    async update(acting: Acting, id: string, change: WebhookEndpointChange): Promise<WebhookEndpoint> {
      await allowed(acting);
      if (!isUuid(id)) throw notFound();
      const events = change.events === undefined ? undefined : validEvents(change.events);
      const url = change.url === undefined ? undefined : (await checkTarget(change.url)).url.href;
      const updated = await audited(acting, "webhook.updated", id, async (repos) => {
        const before = await repos.webhookEndpoints.findById(acting.tenant.id, id);
        if (!before) throw notFound();
        const patch = {
          ...(url === undefined ? {} : { url }),
          ...(events === undefined ? {} : { events }),
          ...(change.description === undefined ? {} : { description: validDescription(change.description) }),
          ...(change.enabled === undefined ? {} : { enabled: change.enabled }),
        };
        const after = (await repos.webhookEndpoints.update(acting.tenant.id, id, patch, clock.now()))!;
        return { result: after, metadata: { before: described(before), after: described(after) } };
      });
      await publishSubscribers(acting);
      return updated;
    },

    async remove(acting: Acting, id: string): Promise<void> {
      await allowed(acting);
      if (!isUuid(id)) throw notFound();
      await uow.transaction(scopeOf(acting), async (repos) => {
        const endpoint = await repos.webhookEndpoints.findById(acting.tenant.id, id);
        if (!endpoint) throw notFound();
        // The audit event before the delete: it locks the tenant's audit chain head first, as every
        // audited write does before its outbox locks the endpoints it writes to, so a write and this
        // delete never wait for each other in a cycle.
        await repos.audit.append(
          successEvent(acting, "webhook.deleted", { type: "webhook", id }, described(endpoint)),
          acting.origin,
        );
        if (!(await repos.webhookEndpoints.delete(acting.tenant.id, id))) throw notFound();
      });
      await publishSubscribers(acting);
    },

    /**
     * A new secret, returned once; the one it replaces keeps signing for 24 hours so receivers can
     * switch without losing a delivery. A second rotation within that time retires the oldest.
     */
    async rotateSecret(acting: Acting, id: string): Promise<EndpointWithSecret> {
      await allowed(acting);
      if (!isUuid(id)) throw notFound();
      const secret = newWebhookSecret();
      const now = clock.now();
      const previousExpiresAt = new Date(now.getTime() + PREVIOUS_SECRET_TTL_MS);
      const endpoint = await audited(acting, "webhook.secret_rotated", id, async (repos) => {
        const rotated = await repos.webhookEndpoints.rotateSecret(
          acting.tenant.id,
          id,
          { secretSealed: box.seal(secret), previousExpiresAt },
          now,
        );
        if (!rotated) throw notFound();
        return { result: rotated, metadata: { previousSecretExpiresAt: previousExpiresAt.toISOString() } };
      });
      return { endpoint, secret };
    },

    /** Enqueues a `webhook.test` message for this endpoint only; returns its message id. */
    async sendTest(acting: Acting, id: string): Promise<{ messageId: string }> {
      await allowed(acting);
      if (!isUuid(id)) throw notFound();
      const messageId = ids.next();
      await uow.transaction(scopeOf(acting), async (repos) => {
        const endpoint = await repos.webhookEndpoints.findById(acting.tenant.id, id);
        if (!endpoint) throw notFound();
        if (!endpoint.enabled || endpoint.disabledAt) {
          throw new ConflictError("WEBHOOK_DISABLED", "Enable the endpoint before sending it a test.");
        }
        // The audit event before the message: the audit chain head is locked before the endpoint, the
        // order every audited write takes them in (see remove).
        await repos.audit.append(
          successEvent(acting, "webhook.tested", { type: "webhook", id }, { messageId }),
          acting.origin,
        );
        const now = clock.now();
        await repos.webhookEndpoints.enqueue([
          {
            id: messageId,
            tenantId: acting.tenant.id,
            endpointId: id,
            payload: {
              type: WEBHOOK_TEST_EVENT,
              timestamp: now.toISOString(),
              data: { tenantId: acting.tenant.id, endpointId: id },
            },
            createdAt: now,
          },
        ]);
      });
      return { messageId };
    },
  };
}

export type ManageWebhooks = ReturnType<typeof makeManageWebhooks>;
