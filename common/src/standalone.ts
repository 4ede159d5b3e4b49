/**
 * A subgraph started on its own (`npm start -w subgraphs/ledger`) needs a shared PostgreSQL: the
 * embedded PGlite database belongs to the one process that `npm start` runs.
 */
export function requireDatabaseUrl(databaseUrl: string | undefined, service: string): string {
  if (databaseUrl) return databaseUrl;
  console.error(
    `${service}: set DATABASE_URL to run this service on its own. Without it, use \`npm start\`, which runs every service in one process on the embedded database.`,
  );
  process.exit(2);
}
