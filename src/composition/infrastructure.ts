import type { DatabaseHandle } from "../adapters/db/database";
import type { Clock } from "../core/ports/clock";
import type { Mailer } from "../core/ports/mailer";
import type { Telemetry } from "../core/ports/telemetry";
import type { EphemeralStore } from "./ephemeral-store";

/** What is opened before anything is wired: the database and the ephemeral store (see their modules). */
export interface Infrastructure {
  database: DatabaseHandle;
  store: EphemeralStore;
  clock?: Clock;
  /** Replaces the mailer the configuration selects (tests record messages instead). */
  mailer?: Mailer;
  /** Where domain events are counted: the server's metrics; without it (saasctl) they are not. */
  telemetry?: Telemetry;
}
