import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** The server the tests use; CI and the README start it on 127.0.0.1:5432 with trust auth. */
export const ADMIN_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function urlFor(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export function adminClient() {
  return postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
}

export const uniqueName = (prefix: string) => `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
