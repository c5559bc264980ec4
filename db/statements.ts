import Database from "better-sqlite3";

// Hot paths (a webhook's receipt, a decision) run the same few statements thousands of times: drizzle
// builds and SQLite prepares each one anew per call, which cost more than the writes themselves. These
// are prepared once per connection and reused, inside whatever transaction is open on it.

type Runner = object;

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The better-sqlite3 connection under a drizzle database or transaction. A transaction exposes it only
 * through its session (drizzle keeps that field internal), so this checks what it finds and fails
 * loudly if a drizzle upgrade moves it.
 */
export function getConnection(runner: Runner): Database.Database {
  const candidate = "$client" in runner ? runner.$client : (runner as { session?: { client?: unknown } }).session?.client;
  if (!(candidate instanceof Database)) throw new Error("Expected a drizzle better-sqlite3 database or transaction");
  return candidate;
}

/** The statement for `text` on the runner's connection, prepared on first use. */
export function getStatement(runner: Runner, text: string): Database.Statement {
  const connection = getConnection(runner);
  let cache = caches.get(connection);
  if (!cache) {
    cache = new Map();
    caches.set(connection, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = connection.prepare(text);
    cache.set(text, statement);
  }
  return statement;
}

const preparedCaches = new WeakMap<Database.Database, Map<string, unknown>>();

/**
 * A drizzle query prepared once per connection under `key` (built with sql.placeholder for its
 * values), so each call skips building the SQL and SQLite's prepare but keeps drizzle's row mapping.
 * A transaction shares its database's session, so a query prepared either way runs inside whatever
 * transaction is open on the connection.
 */
export function getPrepared<T>(runner: Runner, key: string, build: () => T): T {
  const connection = getConnection(runner);
  let cache = preparedCaches.get(connection);
  if (!cache) {
    cache = new Map();
    preparedCaches.set(connection, cache);
  }
  if (!cache.has(key)) cache.set(key, build());
  return cache.get(key) as T;
}
