// Proves the subgraphs compose, and that the committed supergraph, API and partner contract are current.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeAll } from './compose.ts';

describe('composition', () => {
  it('matches the committed files (run `npm run compose` after changing a subgraph schema)', () => {
    for (const [path, content] of Object.entries(composeAll())) {
      const committed = readFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), 'utf8');
      expect(committed, `${path} is stale`).toBe(content);
    }
  });

  it('keeps personal data out of the partner contract', () => {
    const partner = composeAll()['schema/contracts/partner.graphql'] ?? '';
    expect(partner).toContain('catalog(');
    // Descriptions may name what they withhold; the definitions must not hold it.
    const definitions = partner.replace(/"""[\s\S]*?"""/g, '').replace(/^\s*"[^\n]*"\s*$/gm, '');
    // (`\bhousehold` so that programRules' `transferOutsideHousehold` flag, a rule and not a person's data, passes.)
    expect(definitions).not.toMatch(/\bphone\b|PointsAccount|registeredAt|\bhousehold|\bconsent/i);
    // A person is in the contract only as far as PARTNER_SHARING consent lets a partner read them
    // (the users subgraph judges the consent, the ledger refuses without it): an id, a display
    // name, an age band and the member's points balance.
    const user = buildSchema(partner, { assumeValidSDL: true }).getType('User') as GraphQLObjectType;
    expect(Object.keys(user.getFields()).sort()).toEqual(['ageBand', 'displayName', 'id', 'partnerBalance']);
  });

  it("lists the same merchant categories in the ledger, which serves a transaction's merchant from its copy, as in the merchants subgraph", () => {
    const values = (subgraph: string) => {
      const sdl = readFileSync(fileURLToPath(new URL(`../subgraphs/${subgraph}/src/schema.graphql`, import.meta.url)), 'utf8');
      const body = /enum MerchantCategory[^{]*\{([^}]*)\}/.exec(sdl)?.[1] ?? '';
      return body.split(/\s+/).filter((word) => /^[A-Z_]+$/.test(word));
    };
    expect(values('merchants').length).toBeGreaterThan(5);
    expect(values('ledger')).toEqual(values('merchants'));
  });
});
