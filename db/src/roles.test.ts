// Proves a subgraph's connection URL names its own role, keeps a URL that already does, and encodes passwords.
import { describe, expect, it } from 'vitest';
import { roleDatabaseUrl } from './roles.ts';

describe('roleDatabaseUrl', () => {
  it("replaces the migrating user with the subgraph's role and drops that user's password", () => {
    expect(roleDatabaseUrl('postgres://postgres:secret@127.0.0.1:5432/gp?sslmode=disable', 'ledger')).toBe(
      'postgres://greenpoints_ledger@127.0.0.1:5432/gp?sslmode=disable',
    );
  });
  it("sets the role's own password, URL-encoded", () => {
    expect(roleDatabaseUrl('postgres://postgres@db/gp', 'users', 'p@ss:/word')).toBe('postgres://greenpoints_users:p%40ss%3A%2Fword@db/gp');
  });
  it('keeps a URL that already logs in as the role', () => {
    const url = 'postgres://greenpoints_green:their-own@db/gp';
    expect(roleDatabaseUrl(url, 'green')).toBe(url);
  });
});
