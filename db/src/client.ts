import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

/** What every repository receives. It does not say which driver is behind it, on purpose. */
export type Database = PgDatabase<PgQueryResultHKT>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Repositories take either a database or an open transaction. */
export type Executor = Database | Transaction;

/**
 * Counts the statements one handle sends (tests read it to prove a list costs a constant number of
 * queries). `recent` keeps the last statements' text, so a failing test can say which one repeated.
 */
export interface StatementCounter {
  count: number;
  recent: string[];
  reset(): void;
}

const RECENT_STATEMENTS_MAX = 500;

function statementCounter(): StatementCounter {
  const counter: StatementCounter = {
    count: 0,
    recent: [],
    reset: () => {
      counter.count = 0;
      counter.recent = [];
    },
  };
  return counter;
}

export interface DbHandle {
  db: Database;
  driver: 'postgres' | 'pglite';
  /** Present when connected with `countStatements` (PostgreSQL only). */
  statements?: StatementCounter;
  /** The postgres.js client behind `db`, for statements drizzle does not model (roles, grants). */
  sql?: postgres.Sql<{ bigint: bigint }>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** A postgres:// URL; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder, or `memory://`. */
  pgliteDataDir?: string;
  poolMax?: number;
  /**
   * Connections for statements outside transactions, in a pool of their own (PostgreSQL only;
   * absent, or not below `poolMax`: one pool for everything). postgres.js pipelines statements on a
   * busy connection, so a few connections carry many concurrent reads, each write to the socket
   * carrying several; transactions keep a connection across their round trips and get `poolMax`.
   */
  autocommitPoolMax?: number | undefined;
  /**
   * Count every statement sent (postgres.js's `debug` hook, which also records a stack per query:
   * for tests and diagnosis, not for production). Ignored on PGlite.
   */
  countStatements?: boolean;
  /**
   * Send drizzle's statements as named prepared statements (PostgreSQL only; default true). Off
   * behind a pooler that cannot keep them, such as PgBouncer in transaction mode.
   */
  prepare?: boolean;
}

/** Statements with more parameters than this are one-off bulk writes: not worth a server-side plan. */
const PREPARE_MAX_PARAMS = 100;

type PostgresClient = postgres.Sql<{ bigint: bigint }>;

/**
 * drizzle sends a statement as a named prepared statement only when the code names it; every other
 * one goes unnamed, so PostgreSQL parses, analyses and plans it again on every call (a third of its
 * time on the home query's reads). This client hands drizzle a postgres.js client whose `unsafe`
 * prepares statements with parameters, in transactions and savepoints too; postgres.js keeps them
 * per connection, keyed by their text; PostgreSQL plans each with its values or once for all (see
 * `connect` below). Bulk writes (many parameters) and statements without parameters stay unnamed.
 */
function preparing(client: PostgresClient, transactions: PostgresClient = client): PostgresClient {
  const wrapped = new WeakMap<object, PostgresClient>();
  const wrap = (target: PostgresClient): PostgresClient => {
    const known = wrapped.get(target);
    if (known) return known;
    const proxy = new Proxy(target, {
      get(t, prop, receiver) {
        if (prop === 'unsafe') {
          return (query: string, params?: unknown[], options?: { prepare?: boolean }) =>
            t.unsafe(query, params as never, { ...options, prepare: Boolean(options?.prepare) || ((params?.length ?? 0) > 0 && params!.length <= PREPARE_MAX_PARAMS) });
        }
        if (prop === 'begin' || prop === 'savepoint') {
          // A transaction begun at the top goes to the transactions' pool (the same one unless split).
          const owner = prop === 'begin' && t === client ? transactions : t;
          const original = Reflect.get(owner, prop) as (...args: unknown[]) => unknown;
          return (...args: unknown[]) =>
            original.apply(
              owner,
              args.map((a) => (typeof a === 'function' ? (inner: PostgresClient) => (a as (c: PostgresClient) => unknown)(wrap(inner)) : a)),
            );
        }
        const value: unknown = Reflect.get(t, prop, receiver);
        return typeof value === 'function' ? value.bind(t) : value;
      },
    });
    wrapped.set(target, proxy);
    return proxy;
  };
  return wrap(client);
}

/** The one connection factory: postgres.js when a URL is given, embedded PGlite otherwise. */
export async function connect(options: ConnectOptions): Promise<DbHandle> {
  if (options.databaseUrl) {
    const statements = options.countStatements ? statementCounter() : undefined;
    const prepare = options.prepare !== false;
    const open = (max: number) => postgres(options.databaseUrl!, {
      max,
      // PostgreSQL plans a prepared statement for its values for the first five calls, then keeps one
      // generic plan when that costs no more: planning was a quarter of its CPU on the home query.
      // A generic plan cannot use a partial index whose predicate a parameter stands in for, so
      // statements that rely on one write their state into the text (`inState`, state.ts).
      ...(statements
        ? {
            debug: (_connection: number, query: string) => {
              // postgres.js reads the array types once per new connection: the pool's cost, not the operation's.
              if (query.includes('from pg_catalog.pg_type a')) return;
              statements.count += 1;
              statements.recent.push(query);
              if (statements.recent.length > RECENT_STATEMENTS_MAX) statements.recent.shift();
            },
          }
        : {}),
      onnotice: () => {},
      // Bigint columns hold points and money; they fit in a JS number (2^53) by a wide margin.
      types: { bigint: postgres.BigInt },
    });
    const client = open(options.poolMax ?? 10);
    // Without named statements (behind a transaction pooler) the pool stays one: the split rides on `preparing`.
    const split = prepare && options.autocommitPoolMax !== undefined && options.autocommitPoolMax < (options.poolMax ?? 10);
    const autocommit = split ? open(options.autocommitPoolMax!) : client;
    const db = drizzlePostgres(prepare ? preparing(autocommit, client) : autocommit, { casing: 'snake_case' }) as unknown as Database;
    // drizzle sets its own parsers and serializers (dates, json, jsonb) on the client it is given;
    // the transactions' pool needs them too, or a jsonb value is encoded twice (a JSON string).
    if (split) drizzlePostgres(client);
    const close = async () => {
      await Promise.all([client.end({ timeout: 5 }), autocommit === client ? undefined : autocommit.end({ timeout: 5 })]);
    };
    return { db, driver: 'postgres', sql: client, ...(statements ? { statements } : {}), close };
  }
  const dataDir = options.pgliteDataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzlePglite(client, { casing: 'snake_case' }) as unknown as Database;
  return { db, driver: 'pglite', close: () => client.close() };
}
