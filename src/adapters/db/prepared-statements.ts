import type { Sql } from "postgres";

type Scoped = (sql: Sql) => unknown;

/**
 * Makes every statement drizzle sends through postgres.js a prepared one (bar the bulk writes below).
 *
 * drizzle asks for unnamed statements (`prepare: false`) unless a query is built with
 * `.prepare(name)`. For an unnamed statement with parameters postgres.js sends Parse and Describe,
 * waits for the parameter types, and only then Bind and Execute: two round trips, and PostgreSQL
 * parses and plans the text again every time. A prepared statement is described once per connection
 * and from then on only bound and executed: one round trip, no parse, a cached plan. A statement
 * with the same text on the same connection is reused, so the cache holds one entry per distinct
 * query text (lists of different lengths in `IN (...)` are distinct texts); postgres.js replaces
 * each connection after 30 to 60 minutes (`max_lifetime`), and the cache with it.
 *
 * Transactions and savepoints hand their callback a connection-bound `sql` of their own: it is
 * wrapped the same way, so statements inside transactions are prepared too.
 */
/**
 * Statements with more parameters than this stay unnamed. They are the bulk writes (a flush of
 * hundreds of rows in one INSERT), each row count a text of its own: prepared, one such statement
 * held ~370 KB of parameter metadata on every connection that ever ran it (and as much in its
 * PostgreSQL backend), for a statement that runs once a minute.
 */
export const MAX_PREPARED_PARAMETERS = 100;

export function preferPreparedStatements(sql: Sql): Sql {
  const unsafe = ((query: string, parameters?: unknown[], options?: object) =>
    sql.unsafe(query, parameters as never, {
      ...options,
      prepare: (parameters?.length ?? 0) <= MAX_PREPARED_PARAMETERS,
    })) as Sql["unsafe"];
  const scoped =
    (run: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const last = args.length - 1;
      if (typeof args[last] === "function") {
        const fn = args[last] as Scoped;
        args[last] = (inner: Sql) => fn(preferPreparedStatements(inner));
      }
      return run(...args);
    };
  const begin = scoped((...args) => (sql.begin as (...given: unknown[]) => unknown)(...args));
  const savepoint = scoped((...args) =>
    (sql as unknown as { savepoint: (...given: unknown[]) => unknown }).savepoint(...args),
  );
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") return unsafe;
      if (property === "begin") return begin;
      if (property === "savepoint" && "savepoint" in target) return savepoint;
      return Reflect.get(target, property, receiver);
    },
  });
}
