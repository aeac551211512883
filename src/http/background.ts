import type { Logger } from "../core/ports/logger";

/**
 * Runs work the response must not wait for, nor reveal: whether an address exists must not show
 * in the answer's timing (sending mail takes long). Failures are logged, never thrown.
 */
export function runInBackground(
  logger: Logger,
  describeError: (error: unknown) => string,
  event: string,
  work: () => Promise<void>,
) {
  void work().catch((error) => logger.error(event, { error: describeError(error) }));
}
