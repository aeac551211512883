import { rootCauseMessage } from "./adapters/db/db-errors";
import { migrate } from "./adapters/db/migrate";
import { holdsNoDatabase } from "./adapters/db/pglite-template";
import { bcryptHasher } from "./adapters/security/bcrypt-hasher";
import { jsonLogger } from "./adapters/system/json-logger";
import { openEphemeralStore } from "./composition/ephemeral-store";
import { openDatabase } from "./composition/open-database";
import { composeServer } from "./composition/server";
import { type Config, loadConfig } from "./config";
import { healthcheck } from "./healthcheck";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function isCompiledBinary(): boolean {
  return import.meta.url.includes("$bunfs") || import.meta.path.startsWith("/$bunfs");
}

/**
 * Elysia asks for SO_REUSEPORT by default, so a second server on a busy port would start and take
 * part of the traffic without a word. Only REUSE_PORT=true shares a port.
 */
function listen(app: ReturnType<typeof composeServer>["app"], { host, port, reusePort }: Config["http"]) {
  try {
    app.listen({ hostname: host, port, reusePort });
  } catch (error) {
    if ((error as { code?: unknown }).code === "EADDRINUSE") {
      fail(
        `Port ${port} on ${host} is already in use: stop what holds it or choose another PORT (REUSE_PORT=true shares it on purpose).`,
      );
    }
    fail(`Cannot listen on ${host}:${port}: ${rootCauseMessage(error)}`);
  }
}

async function start(config: Config) {
  const logger = jsonLogger(config.logLevel);
  if (config.auth.jwtSecretGenerated) {
    logger.warn("config.jwt_secret_generated", {
      message:
        "JWT_SECRET is not set: using a random secret, so tokens stop working when the process restarts.",
    });
  }
  if (config.database.driver === "pglite" && isCompiledBinary()) {
    fail(
      "The compiled binary cannot run the embedded PGlite database: set DATABASE_URL to a PostgreSQL server.",
    );
  }

  // A new embedded database means this start creates the admin: its bcrypt hash, the seed's one
  // costly step, runs on another core while the database opens.
  const adminPasswordHash =
    config.database.driver === "pglite" && holdsNoDatabase(config.database.dataDir)
      ? bcryptHasher(config.auth.bcryptCost).hash(config.seed.adminPassword)
      : undefined;
  adminPasswordHash?.catch(() => {}); // awaited by the seed; a failure surfaces there
  const database = await openDatabase(config.database).catch((error: Error) => fail(error.message));
  // drizzle's errors carry the query's parameters (a password hash, in the seed): print the cause only.
  const step = <T>(name: string, work: Promise<T>) =>
    work.catch((error: unknown) => fail(`Start-up failed while ${name}: ${rootCauseMessage(error)}`));
  await step("applying migrations", migrate(database));
  if (database.appRole.problem) {
    logger.warn("database.app_role_unavailable", { message: database.appRole.problem });
  }
  const store = openEphemeralStore(config, logger);
  if (!(await store.ready(2_000))) {
    logger.warn("redis.not_ready", {
      message: "Redis did not answer within 2 s; serving from the database until it does.",
    });
  }
  const { app, useCases, startBackgroundWork } = composeServer(config, { database, store, logger });

  const seeded = await step(
    "seeding the platform admin",
    useCases.seedPlatform({
      adminEmail: config.seed.adminEmail,
      adminPassword: config.seed.adminPassword,
      adminPasswordHash,
    }),
  );
  if (seeded.adminCreated) {
    logger.info("seed.admin_created", { email: config.seed.adminEmail });
    if (config.seed.adminPasswordGenerated) {
      // Printed once, to the terminal only, never through the structured log.
      process.stderr.write(
        `Generated password for ${config.seed.adminEmail}: ${config.seed.adminPassword}\n`,
      );
    }
  }

  const webhookWorker = startBackgroundWork();
  listen(app, config.http);
  logger.info("server.started", {
    url: `http://${config.http.host}:${app.server?.port}`,
    database: database.driver,
    cache: config.cache.redisUrl ? "redis" : "memory",
    mail: config.mail.driver,
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("server.stopping", { signal });
    // Webhook deliveries stop being claimed now; those in flight get the shutdown timeout less a
    // second to close up, then the unfinished ones are handed back for another instance to send.
    const webhooksStopped = webhookWorker
      .stop(Math.max(0, config.http.shutdownTimeoutSeconds * 1000 - 1000))
      .catch((error: unknown) =>
        logger.error("webhook.worker_not_stopped", { error: rootCauseMessage(error) }),
      );
    const deadline = setTimeout(() => {
      logger.error("server.shutdown_timeout", { seconds: config.http.shutdownTimeoutSeconds });
      process.exit(1);
    }, config.http.shutdownTimeoutSeconds * 1000);
    const server = app.server;
    await app.stop(false); // stop accepting, let in-flight requests finish
    // Closes the database only after the last response is written, whatever stop() waited for.
    while ((server?.pendingRequests ?? 0) > 0) await Bun.sleep(10);
    await webhooksStopped;
    // A job still running (a purge at start-up, a flush) finishes before the database closes.
    const jobs = Object.values(
      (app.store as { cron?: Record<string, { stop(): void; isBusy(): boolean }> }).cron ?? {},
    );
    for (const job of jobs) job.stop();
    while (jobs.some((job) => job.isBusy())) await Bun.sleep(10);
    // Refusals counted but not yet summarised would die with an in-process tally: write them now.
    const flushed = await useCases.flushAuditTally({ all: true }).catch((error: unknown) => {
      logger.error("audit.tally_not_flushed", { error: rootCauseMessage(error) });
      return null;
    });
    for (const { tenantId, action, count } of flushed?.failed ?? []) {
      logger.error("audit.summary_not_recorded", { tenantId, action, count });
    }
    // Flag answers counted in memory since the last flush.
    await useCases.flagMetrics.flush().catch((error: unknown) => {
      logger.error("flags.metrics_not_flushed", { error: rootCauseMessage(error) });
    });
    await store.close();
    await database.close();
    clearTimeout(deadline);
    logger.info("server.stopped", {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

if (process.argv[2] === "healthcheck") {
  const { exitCode, line } = await healthcheck(process.env);
  process.stdout.write(`${line}\n`);
  process.exit(exitCode);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  fail((error as Error).message);
}
await start(config);
