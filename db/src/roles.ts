import type { DbHandle } from './client.ts';

/**
 * One Postgres role per subgraph, keyed by the Postgres schema it owns. A subgraph connects as its
 * role, so a bug or an injection in one subgraph cannot read or write another subgraph's schema:
 * the database refuses it, whatever the code does.
 *
 * They are LOGIN roles (not NOLOGIN roles reached by SET ROLE) on purpose: a session that switched
 * role with SET ROLE can switch back, or on to a sibling role, with `set_config('role', …)` inside
 * any SELECT, so one compromised subgraph could become another. A login role is not a member of any
 * other role and has nowhere to go.
 */
export const SUBGRAPH_ROLES = {
  users: 'greenpoints_users',
  merchants: 'greenpoints_merchants',
  ledger: 'greenpoints_ledger',
  green: 'greenpoints_green',
} as const;

export type OwnedSchema = keyof typeof SUBGRAPH_ROLES;
export const OWNED_SCHEMAS = Object.keys(SUBGRAPH_ROLES) as OwnedSchema[];

/** Passwords per role; a role without one can log in only where pg_hba trusts it (local development). */
export type RolePasswords = Partial<Record<OwnedSchema, string | undefined>>;

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The statements that make `schema`'s role able to use that schema and nothing else. Idempotent. */
function grantStatements(schema: OwnedSchema): string[] {
  const role = quoteIdent(SUBGRAPH_ROLES[schema]);
  const s = quoteIdent(schema);
  const others = OWNED_SCHEMAS.filter((o) => o !== schema).map(quoteIdent);
  return [
    ...others.map((o) => `REVOKE ALL ON SCHEMA ${o} FROM ${role}`),
    ...others.map((o) => `REVOKE ALL ON ALL TABLES IN SCHEMA ${o} FROM ${role}`),
    `GRANT USAGE ON SCHEMA ${s} TO ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${role}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${s} TO ${role}`,
    // Tables a later migration creates (as the migrating user) are granted too, before this runs again.
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`,
  ];
}

/** Generous for an API request (reports over five years included); migrations and seeding do not run as these roles. */
export const STATEMENT_TIMEOUT_MS = 15_000;
const IDLE_IN_TRANSACTION_MS = 60_000;

const ATTRIBUTES = 'LOGIN NOCREATEDB NOCREATEROLE NOINHERIT';
/** Only a superuser may name these two, even to switch them off; a non-superuser could not have set them. */
const SUPERUSER_ATTRIBUTES = 'NOSUPERUSER NOREPLICATION';

/** Creates the role if missing; a concurrent migration creating it first is not an error. */
async function ensureRole(run: (sql: string) => Promise<unknown>, schema: OwnedSchema, password: string | undefined, asSuperuser: boolean) {
  const role = quoteIdent(SUBGRAPH_ROLES[schema]);
  try {
    await run(`CREATE ROLE ${role} ${ATTRIBUTES} NOSUPERUSER NOREPLICATION`);
  } catch (err) {
    // duplicate_object: it exists; unique_violation: another migration created it a moment ago.
    if (!['42710', '23505'].includes(String((err as { code?: string }).code))) throw err;
  }
  // Attributes are reset every run, so a role someone widened by hand is narrowed again.
  await run(`ALTER ROLE ${role} ${ATTRIBUTES}${asSuperuser ? ` ${SUPERUSER_ATTRIBUTES}` : ''}`);
  if (password) await run(`ALTER ROLE ${role} PASSWORD ${quoteLiteral(password)}`);
  // Limits the database keeps even if a service forgets to: no statement of a request runs longer
  // than this, and a transaction left open by a crashed request does not hold its locks for ever.
  await run(`ALTER ROLE ${role} SET statement_timeout = '${STATEMENT_TIMEOUT_MS}ms'`);
  await run(`ALTER ROLE ${role} SET idle_in_transaction_session_timeout = '${IDLE_IN_TRANSACTION_MS}ms'`);
}

/**
 * Creates (or repairs) the four subgraph roles and their grants, after the drizzle migrations.
 * PostgreSQL only: the embedded PGlite database has one user and no roles to separate.
 * Roles are cluster-wide; grants are per database, so this runs against every database migrated.
 */
export async function ensureSubgraphRoles(handle: DbHandle, passwords: RolePasswords = {}): Promise<void> {
  if (handle.driver !== 'postgres' || !handle.sql) return;
  const sql = handle.sql;
  const run = (statement: string) => sql.unsafe(statement);
  const [me] = await sql<{ superuser: boolean }[]>`SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`;
  for (const schema of OWNED_SCHEMAS) await ensureRole(run, schema, passwords[schema], me?.superuser ?? false);
  await sql.begin(async (tx) => {
    // Two migrations of one database at once would trip over each other's grants; take turns.
    await tx.unsafe(`SELECT pg_advisory_xact_lock(hashtext('greenpoints.subgraph_roles'))`);
    for (const schema of OWNED_SCHEMAS) for (const statement of grantStatements(schema)) await tx.unsafe(statement);
  });
}

/**
 * The URL a subgraph connects with: the migrating URL with its user replaced by the subgraph's role
 * (and its password, when one is configured). A URL that already names the role is kept as it is,
 * so production can give each subgraph its own complete DATABASE_URL instead.
 */
export function roleDatabaseUrl(databaseUrl: string, schema: OwnedSchema, password?: string): string {
  const url = new URL(databaseUrl);
  const role = SUBGRAPH_ROLES[schema];
  if (decodeURIComponent(url.username) === role && !password) return databaseUrl;
  url.username = encodeURIComponent(role);
  url.password = password ? encodeURIComponent(password) : '';
  return url.toString();
}

/**
 * A standalone service checks at start-up that it can log in, so a missing role (the migration has
 * not run) or a wrong password is one readable line at boot, not an internal error on the first
 * request. Exits the process with status 2 on failure.
 */
export async function requireLogin(handle: DbHandle, service: string): Promise<void> {
  if (handle.driver !== 'postgres' || !handle.sql) return;
  try {
    await handle.sql`SELECT 1`;
  } catch (err) {
    const { code, message } = err as { code?: string; message?: string };
    const hint = code?.startsWith('28') ? ' Run `npm run db:migrate` first: it creates the subgraph roles (and sets DB_PASSWORD_*).' : '';
    console.error(`${service}: cannot log in to PostgreSQL (${message ?? String(err)}).${hint}`);
    process.exit(2);
  }
}
