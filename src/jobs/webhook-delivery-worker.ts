import type { Logger } from "../core/ports/logger";
import type { ClaimedWebhookMessage } from "../core/ports/webhook-delivery-queue";
import type { DeliverWebhooks } from "../core/usecases/webhooks/deliver";

export interface WebhookDeliveryWorkerDeps {
  deliver: DeliverWebhooks;
  /** Deliveries in flight at most. */
  concurrency: number;
  /** How long to wait before looking again when nothing was due. */
  idleMs?: number;
  logger: Logger;
  describeError: (error: unknown) => string;
}

export interface WebhookDeliveryWorker {
  /**
   * Stops claiming, lets the deliveries in flight finish for up to `graceMs`, then hands the claims
   * still unfinished back to the queue so another instance sends them at once.
   */
  stop(graceMs: number): Promise<void>;
}

/**
 * Polls the outbox and keeps up to `concurrency` deliveries in flight: a free slot claims as many due
 * messages as slots are free. It runs on every instance; claims (FOR UPDATE SKIP LOCKED with a lease)
 * keep two instances from sending the same message in the normal case.
 */
export function startWebhookDeliveryWorker(deps: WebhookDeliveryWorkerDeps): WebhookDeliveryWorker {
  const idleMs = deps.idleMs ?? 1_000;
  const inFlight = new Map<string, Promise<void>>();
  let stopping = false;
  let wake: (() => void) | null = null;
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  function start(claimed: ClaimedWebhookMessage) {
    const id = claimed.message.id;
    const work = deps.deliver
      .deliver(claimed)
      .then(() => undefined)
      .catch((error: unknown) => {
        // The claim stays until its lease ends; the message is sent again then.
        deps.logger.error("webhook.delivery_failed", { messageId: id, error: deps.describeError(error) });
      })
      .finally(() => {
        inFlight.delete(id);
        wake?.();
      });
    inFlight.set(id, work);
  }

  async function loop() {
    while (!stopping) {
      const free = deps.concurrency - inFlight.size;
      let claimed: ClaimedWebhookMessage[] = [];
      if (free > 0) {
        try {
          claimed = await deps.deliver.claim(free);
        } catch (error) {
          deps.logger.error("webhook.claim_failed", { error: deps.describeError(error) });
        }
      }
      if (stopping) {
        await deps.deliver.release(claimed.map((c) => c.message.id)).catch(() => {});
        break;
      }
      for (const item of claimed) start(item);
      // A full batch suggests more are due: look again as soon as a slot is free.
      const busy = claimed.length > 0 && claimed.length === free;
      if (!busy || inFlight.size >= deps.concurrency) await nap(busy ? idleMs * 10 : idleMs);
    }
  }

  const running = loop();

  return {
    async stop(graceMs) {
      stopping = true;
      wake?.();
      await running;
      const settled = Promise.all(inFlight.values()).then(() => true);
      const finished = await Promise.race([settled, Bun.sleep(graceMs).then(() => false)]);
      if (!finished) {
        const unfinished = [...inFlight.keys()];
        deps.logger.warn("webhook.deliveries_handed_back", { count: unfinished.length });
        await deps.deliver.release(unfinished);
      }
    },
  };
}
