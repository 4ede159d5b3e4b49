// Proves the subgraphs compose, and that the committed supergraph, API and partner contract are current.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
    expect(partner).not.toMatch(/\bphone\b|type User\b|PointsAccount/);
  });
});
