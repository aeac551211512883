import type { PageRequest } from "../domain/pagination";
import type { WebhookEndpoint, WebhookPayload } from "../domain/webhook";

export interface NewWebhookEndpoint {
  id: string;
  tenantId: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  secretSealed: string;
  createdAt: Date;
}

export interface WebhookEndpointPatch {
  url?: string;
  description?: string | null;
  events?: string[];
  enabled?: boolean;
}

export interface NewWebhookMessage {
  id: string;
  tenantId: string;
  endpointId: string;
  payload: WebhookPayload;
  createdAt: Date;
}

/** Every method is scoped by tenant: another tenant's endpoint does not exist for it. */
export interface WebhookEndpointRepository {
  create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint>;
  findById(tenantId: string, id: string): Promise<WebhookEndpoint | null>;
  /** Up to `page.limit + 1` endpoints of the tenant in id order after `page.after`. */
  list(tenantId: string, page: PageRequest): Promise<WebhookEndpoint[]>;
  /** Enabling an endpoint also clears its automatic disabling and failure count. */
  update(
    tenantId: string,
    id: string,
    patch: WebhookEndpointPatch,
    at: Date,
  ): Promise<WebhookEndpoint | null>;
  delete(tenantId: string, id: string): Promise<WebhookEndpoint | null>;
  /** The current secret becomes the previous one, signing until `previousExpiresAt`. */
  rotateSecret(
    tenantId: string,
    id: string,
    rotation: { secretSealed: string; previousExpiresAt: Date },
    at: Date,
  ): Promise<WebhookEndpoint | null>;
  /** The tenant's endpoints that receive events now (enabled, not disabled): what the outbox matches. */
  subscribers(tenantId: string): Promise<{ id: string; events: string[] }[]>;
  /**
   * Writes outbox messages, due at once. Messages for an endpoint deleted or disabled since it was
   * read are dropped; the endpoints written to cannot be deleted until the transaction ends.
   */
  enqueue(messages: NewWebhookMessage[]): Promise<void>;
}
