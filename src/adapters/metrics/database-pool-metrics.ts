import { Gauge, type Registry } from "prom-client";
import type { PoolUsage } from "../db/database";

/** The database client's connections, read at scrape time (see db/operations-in-flight.ts). */
export function registerDatabasePoolMetrics(registry: Registry, usage: () => PoolUsage): void {
  const registers = [registry];
  new Gauge({
    name: "db_pool_connections_in_use",
    help: "Database connections running a statement or holding a transaction",
    registers,
    collect() {
      const { inFlight, size } = usage();
      this.set(Math.min(inFlight, size));
    },
  });
  new Gauge({
    name: "db_pool_connections_max",
    help: "Database connections the pool may open",
    registers,
    collect() {
      this.set(usage().size);
    },
  });
  new Gauge({
    name: "db_operations_in_flight",
    help: "Statements outside transactions and transactions under way or waiting; above the pool size they wait",
    registers,
    collect() {
      this.set(usage().inFlight);
    },
  });
}
