// Proves the typed partner client, generated from the contract, syncs the whole catalogue page by page against a real gateway.
import { createPartnerClient, MerchantsPageDocument, PartnerClientError, syncCatalog } from '@greenpoints/partner-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
});
afterAll(() => t?.stop());

describe('partner client', () => {
  it('syncs every reward of the catalogue, in order, through Relay cursors', async () => {
    const client = createPartnerClient({ url: t.stack.gatewayUrl, token: await t.token({ role: 'partner', partnerId: 'acme' }) });
    const rewards = await syncCatalog(client, 7);
    // Cheapest first by the cost in force now (the sale price inside its window), active merchants only.
    const expected = await t.sql`SELECT r.id FROM merchants.rewards r JOIN merchants.merchants m ON m.id = r.merchant_id
      WHERE m.status = 'ACTIVE' AND (r.stock IS NULL OR r.stock > 0) AND r.valid_from <= now() AND (r.valid_until IS NULL OR r.valid_until > now())
      ORDER BY CASE WHEN r.sale_points_cost IS NOT NULL AND r.sale_starts_at <= now() AND r.sale_ends_at > now() THEN r.sale_points_cost ELSE r.points_cost END, r.id`;
    expect(rewards.map((r) => r.id)).toEqual(expected.map((r) => r['id']));
    expect(new Set(rewards.map((r) => r.id)).size).toBe(rewards.length);
    expect(client.quota()?.remainingPerMinute).toEqual(expect.any(Number));
  });

  it('types its results from the contract and reports refusals with their code', async () => {
    const client = createPartnerClient({ url: t.stack.gatewayUrl, token: await t.token({ role: 'partner', partnerId: 'acme' }) });
    const page = await client.request(MerchantsPageDocument, { first: 3, after: null });
    expect(page.merchants.edges).toHaveLength(3);
    const refused = await client.request(MerchantsPageDocument, { first: 3, after: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PartnerClientError);
    expect((refused as PartnerClientError).code).toBe('BAD_USER_INPUT');
  });
});
