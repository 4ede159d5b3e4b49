// Proves the contract check reports what would break a partner (removed or retyped fields, new required arguments) and lets additions through.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeAll } from './compose.ts';
import { contractBreaks } from './contractCheck.ts';

const released = readFileSync(fileURLToPath(new URL('./contracts/partner.released.graphql', import.meta.url)), 'utf8');

describe('partner contract check', () => {
  it('finds the contract composed now compatible with the released one', () => {
    expect(contractBreaks(released, composeAll()['schema/contracts/partner.graphql']!)).toEqual([]);
  });

  it('reports a removed field, a retyped field and a new required argument', () => {
    const changed = released
      .replace(/\n\s+inStock: Boolean!/, '')
      .replace(/pointsCost: Int!/, 'pointsCost: String!')
      .replace(/reward\(id: ID!\)/, 'reward(id: ID!, locale: String!)');
    const types = contractBreaks(released, changed).map((b) => b.type);
    expect(types).toEqual(expect.arrayContaining(['FIELD_REMOVED', 'FIELD_CHANGED_KIND', 'REQUIRED_ARG_ADDED']));
  });

  it('lets an added field and an optional argument through', () => {
    const added = released.replace(/reward\(id: ID!\)/, 'reward(id: ID!, locale: String)').replace(/\n(\s+)terms: String!/, '\n$1terms: String!\n$1termsUrl: String');
    expect(added).not.toBe(released);
    expect(contractBreaks(released, added)).toEqual([]);
  });
});
