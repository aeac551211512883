import type { PGlite } from "@electric-sql/pglite";
import type { Sql } from "postgres";

/**
 * Counts the operations a database client has been given and not yet finished: statements outside
 * transactions, and whole transactions (a transaction's own statements run on the connection it
 * holds, so they are not counted again). Neither driver reports its pool, so this is counted where
 * drizzle enters the client.
 *
 * Both drivers give an operation an idle connection while one is left (postgres.js opens a new one
 * before it pipelines onto a busy one; PGlite has one and queues), so the connections in use are
 * min(in flight, pool size), and what is above the pool size waits or shares a connection.
 */
export interface OperationsInFlight<C> {
  /** The client to hand to drizzle (and to use directly), counting what runs through it. */
  client: C;
  count(): number;
}

export function countPostgresOperations(sql: Sql): OperationsInFlight<Sql> {
  let inFlight = 0;
  const done = () => {
    inFlight--;
  };
  const unsafe = ((...args: Parameters<Sql["unsafe"]>) => {
    const query = sql.unsafe(...args);
    inFlight++;
    // Awaiting a postgres.js query starts it (a microtask later, after drizzle has chosen the result
    // shape with .values()), as drizzle's own await does at once anyway.
    query.then(done, done);
    return query;
  }) as Sql["unsafe"];
  const begin = (async (...args: Parameters<Sql["begin"]>) => {
    inFlight++;
    try {
      return await (sql.begin as (...given: unknown[]) => Promise<unknown>)(...args);
    } finally {
      inFlight--;
    }
  }) as Sql["begin"];
  const client = new Proxy(sql, {
    get: (target, property, receiver) =>
      property === "unsafe" ? unsafe : property === "begin" ? begin : Reflect.get(target, property, receiver),
  });
  return { client, count: () => inFlight };
}

export function countPgliteOperations(pglite: PGlite): OperationsInFlight<PGlite> {
  let inFlight = 0;
  const counted =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      inFlight++;
      try {
        return await run(...args);
      } finally {
        inFlight--;
      }
    };
  const query = counted(pglite.query.bind(pglite));
  const exec = counted(pglite.exec.bind(pglite));
  const transaction = counted(pglite.transaction.bind(pglite));
  const client = new Proxy(pglite, {
    get(target, property) {
      if (property === "query") return query;
      if (property === "exec") return exec;
      if (property === "transaction") return transaction;
      // PGlite keeps private fields: its own methods must run on the instance, not on the proxy.
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { client, count: () => inFlight };
}
