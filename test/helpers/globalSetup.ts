import { DEV_PII_KEY } from '@greenpoints/common';
import { connect, migrate } from '@greenpoints/db';
import { seed } from '@greenpoints/stack';
import { adminClient, uniqueName, urlFor } from './db.ts';

/**
 * Builds one template database (migrated and seeded) per test run; each test file then copies it
 * with CREATE DATABASE … TEMPLATE, which takes milliseconds, and drops its copy when done.
 */
export default async function setup({ provide }: { provide: (key: 'templateDb', value: string) => void }) {
  const admin = adminClient();
  const template = uniqueName('gp_template');
  try {
    await admin.unsafe(`CREATE DATABASE ${template}`);
  } catch (err) {
    await admin.end();
    throw new Error(`Cannot reach PostgreSQL for the tests (${String(err)}). Start it: see README "Tests".`);
  }
  const handle = await connect({ databaseUrl: urlFor(template), poolMax: 4 });
  try {
    await migrate(handle);
    await seed(handle.db, { piiKey: DEV_PII_KEY, users: 300 });
  } catch (err) {
    // A failed seed must not leave its template behind on the shared server.
    await handle.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
    throw err;
  }
  await handle.close();
  provide('templateDb', template);

  return async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}
