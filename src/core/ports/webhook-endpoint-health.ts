/** Counts an endpoint's given-up messages in a row, and disables it when they reach a threshold. */
export interface WebhookEndpointHealth {
  /** A message reached the endpoint: the run of failures is over. */
  delivered(endpointId: string): Promise<void>;
  /**
   * A message was given up. Returns true only for the call that disabled the endpoint (its run reached
   * `threshold`), so its admins are told once.
   */
  gaveUp(endpointId: string, threshold: number, at: Date): Promise<boolean>;
}

/** The outcome of one delivery attempt, as counted for operators. */
export type WebhookDeliveryOutcome = "delivered" | "retrying" | "failed" | "lease_lost";

export interface WebhookTelemetry {
  webhookDelivery(outcome: WebhookDeliveryOutcome): void;
}
