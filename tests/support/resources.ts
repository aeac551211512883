/**
 * Shared test infrastructure, created at most once per test process:
 * TEST_DATABASE_URL / TEST_REDIS_URL first, else testcontainers when a Docker engine answers, else the
 * embedded PGlite database and the in-memory cache.
 */
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Redis from "ioredis";
import postgres from "postgres";
import type { DatabaseHandle } from "../../src/adapters/db/database";
import { migrate } from "../../src/adapters/db/migrate";
import { openPglite } from "../../src/adapters/db/open-pglite";
import { openPostgres } from "../../src/adapters/db/open-postgres";

const disposers: (() => Promise<void>)[] = [];
const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

function once<T>(create: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= create();
    return value;
  };
}

function dockerAvailable(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync("/var/run/docker.sock");
}

let databaseCount = 0;

/** The URL of a new, empty PostgreSQL database on the server at `serverUrl`, dropped at exit. */
async function emptyPostgresDatabase(serverUrl: string): Promise<string> {
  const name = `saas_test_${runId}_${databaseCount++}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  disposers.push(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh, migrated PostgreSQL database of its own on the server at `serverUrl`, dropped at exit. */
async function freshPostgresDatabase(serverUrl: string): Promise<DatabaseHandle> {
  const url = await emptyPostgresDatabase(serverUrl);
  const handle = await openPostgres({
    url,
    maxConnections: 10,
    statementTimeoutMs: 30_000,
    connectTimeoutSeconds: 10,
  });
  await migrate(handle);
  disposers.push(() => handle.close());
  return handle;
}

/** A new directory under the system's temporary one, removed at exit. */
async function temporaryDirectory(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  disposers.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * An initialised, empty embedded database directory, made once per test process: initdb takes
 * ~6 s in WASM, copying its result a few milliseconds.
 */
const emptyEmbeddedTemplate = once(async () => {
  const dir = await temporaryDirectory("saas-pglite-template-");
  await (await openPglite(dir, "the test harness")).close();
  return dir;
});

/**
 * Environment for a process under test (the CLI, a server) that needs a database of its own: an
 * empty PostgreSQL database when TEST_DATABASE_URL is set, else a new embedded database directory
 * (initialised, with no schema yet).
 */
export async function isolatedDatabaseEnv(): Promise<Record<string, string>> {
  const server = process.env.TEST_DATABASE_URL;
  if (server) return { DATABASE_URL: await emptyPostgresDatabase(server) };
  const dir = await temporaryDirectory("saas-pglite-");
  await cp(await emptyEmbeddedTemplate(), dir, { recursive: true });
  return { PGLITE_DATA_DIR: dir };
}

async function containerPostgres(): Promise<DatabaseHandle | null> {
  if (!dockerAvailable()) return null;
  try {
    const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
    const container = await new PostgreSqlContainer("postgres:16-alpine").start();
    disposers.push(async () => void (await container.stop()));
    return freshPostgresDatabase(container.getConnectionUri());
  } catch {
    return null; // a socket without a working engine: fall back to the embedded database
  }
}

async function containerRedisUrl(): Promise<string | null> {
  if (!dockerAvailable()) return null;
  try {
    const { RedisContainer } = await import("@testcontainers/redis");
    const container = await new RedisContainer("redis:7-alpine").start();
    disposers.push(async () => void (await container.stop()));
    return container.getConnectionUrl();
  } catch {
    return null;
  }
}

/** The embedded database, in memory. Always available; every test process pays its ~6 s init once. */
export const embeddedDatabase = once(async () => {
  const handle = await openPglite("memory://");
  await migrate(handle);
  disposers.push(() => handle.close());
  return handle;
});

/** Real PostgreSQL when one is configured or can be started; null otherwise. */
export const realPostgres = once(async (): Promise<DatabaseHandle | null> => {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return freshPostgresDatabase(url);
  return containerPostgres();
});

/** The database the tests of behaviour run on: real PostgreSQL when available, else embedded. */
export const testDatabase = once(async () => (await realPostgres()) ?? (await embeddedDatabase()));

async function deleteKeysWithPrefix(url: string, prefix: string) {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
      if ((keys as string[]).length) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}

/** The Redis server tests use (TEST_REDIS_URL, else a container), or null to run without Redis. */
export const testRedisUrl = once(async () => process.env.TEST_REDIS_URL ?? (await containerRedisUrl()));

let prefixCount = 0;

/** A Redis key prefix of its own, under this run's prefix, whose keys are deleted at exit. */
export function testKeyPrefix(): string {
  return `test:${runId}:${prefixCount++}:`;
}

/** Registers cleanup to run when the test process ends. */
export function disposeAtExit(dispose: () => Promise<void>) {
  disposers.push(dispose);
}

export async function disposeTestResources() {
  for (const dispose of disposers.splice(0).reverse()) {
    await dispose().catch((error) => console.error("test teardown:", error));
  }
  const url = process.env.TEST_REDIS_URL;
  if (url) await deleteKeysWithPrefix(url, `test:${runId}:`);
}
