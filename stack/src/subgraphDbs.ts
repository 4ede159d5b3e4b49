import { connect, roleDatabaseUrl, type ConnectOptions, type DbHandle, type OwnedSchema, type RolePasswords } from '@greenpoints/db';

/** One database handle per subgraph, named by the Postgres schema the subgraph owns. */
export type SubgraphDbs = Record<OwnedSchema, DbHandle>;

export interface SubgraphDbOptions {
  /** How the stack itself connected; roles need its URL. */
  connect: ConnectOptions | null;
  /** Connect each subgraph as its own role (PostgreSQL only). */
  roles: boolean;
  passwords: RolePasswords;
}

/**
 * On PostgreSQL with roles on, each subgraph gets its own pool logged in as its role, so the
 * database itself keeps it inside its schema. Otherwise (PGlite, roles off, or a handle passed in
 * without a URL) every subgraph shares the stack's handle.
 */
export async function openSubgraphDbs(shared: DbHandle, options: SubgraphDbOptions): Promise<{ dbs: SubgraphDbs; close(): Promise<void> }> {
  const url = options.connect?.databaseUrl;
  if (shared.driver !== 'postgres' || !options.roles || !url) {
    return { dbs: { users: shared, merchants: shared, ledger: shared, green: shared }, close: async () => {} };
  }
  const open = (schema: OwnedSchema) =>
    connect({ ...options.connect, databaseUrl: roleDatabaseUrl(url, schema, options.passwords[schema]) });
  const [users, merchants, ledger, green] = await Promise.all([open('users'), open('merchants'), open('ledger'), open('green')]);
  const dbs = { users, merchants, ledger, green };
  return { dbs, close: async () => void (await Promise.all(Object.values(dbs).map((h) => h.close()))) };
}
