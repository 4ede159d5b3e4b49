export { connect, type ConnectOptions, type Database, type DbHandle, type Executor, type Transaction } from './client.ts';
export { loadDbConfig, migrationsFolder, type DbConfig } from './config.ts';
export { migrate } from './migrate.ts';
