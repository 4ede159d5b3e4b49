export { analyzeSchemas } from './analyze.ts';
export { connect, type ConnectOptions, type Database, type DbHandle, type Executor, type StatementCounter, type Transaction } from './client.ts';
export { loadDbConfig, migrationsFolder, rolePasswords, subgraphConnectOptions, type DbConfig } from './config.ts';
export { migrate, type MigrateOptions } from './migrate.ts';
export { ensureSubgraphRoles, OWNED_SCHEMAS, requireLogin, roleDatabaseUrl, STATEMENT_TIMEOUT_MS, SUBGRAPH_ROLES, type OwnedSchema, type RolePasswords } from './roles.ts';
export { runStandaloneSubgraph, type StandaloneSubgraph } from './runStandalone.ts';
export { queryRows, send } from './sqlRows.ts';
export { inState } from './state.ts';
export { inIds, prepared, preparedInsert } from './prepared.ts';
