// Proves recordPurchase earns points from the merchant's rule, exactly once per idempotency key, and feeds green impact.
import { randomUUID } from 'node:crypto';
import { DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const RECORD = /* GraphQL */ `
  mutation Record($input: PurchaseInput!, $key: ID!) {
    recordPurchase(input: $input, idempotencyKey: $key) {
      id points greenPoints tier earnRuleVersion amountMinor
      merchant { id name }
      lines { sku quantity greenPoints product { name greenProfile { category } } }
      transaction { id type points }
    }
  }
`;
const POINTS = `query ($id: ID!) { user(id: $id) { id points { balance pending green: pending(asset: GREEN_POINTS) } } }`;

let t: TestStack;
let merchantToken: string;
let adminToken: string;
let appliancesId: string;
let userId: string;

beforeAll(async () => {
  t = await startTestStack();
  merchantToken = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
  adminToken = await t.token({ role: 'admin', sub: 'ops-1' });
  const [m] = await t.sql`SELECT id FROM merchants.merchants WHERE category = 'APPLIANCES'`;
  appliancesId = m!['id'];
  // A user with no household and no purchase yet at either merchant keeps the arithmetic obvious.
  const [u] = await t.sql`SELECT id FROM users.users WHERE household_id IS NULL ORDER BY id LIMIT 1`;
  userId = u!['id'];
});
afterAll(() => t?.stop());

async function pointsOf(id: string) {
  const res = await t.graphql(POINTS, { id }, adminToken).expect(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.user.points as { balance: number; pending: number; green: number };
}

describe('recordPurchase', () => {
  it("earns points from the merchant's published rule and the user's tier", async () => {
    const before = await pointsOf(userId);
    const [rule] = await t.sql`SELECT points_per_yuan, per_order_cap FROM ledger.earn_rules WHERE merchant_id = ${DEMO_MERCHANT_ID}`;
    const res = await t
      .graphql(RECORD, { input: { userId, merchantId: DEMO_MERCHANT_ID, amountMinor: 12_345 }, key: randomUUID() }, merchantToken)
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    const purchase = res.body.data.recordPurchase;
    const multiplier = { SEED: 100, SPROUT: 110, TREE: 125, FOREST: 150 }[purchase.tier as 'SEED'];
    const base = Math.floor((12_345 * rule!['points_per_yuan']) / 100);
    expect(purchase.points).toBe(Math.min(Math.floor((base * multiplier) / 100), rule!['per_order_cap']));
    expect(purchase.merchant).toEqual({ id: DEMO_MERCHANT_ID, name: expect.stringContaining('Fresh Fruit') });
    expect(purchase.transaction.type).toBe('PURCHASE_EARN');
    // The fruit shop's return window is a day: the points are pending, not yet spendable.
    const after = await pointsOf(userId);
    expect(after.pending - before.pending).toBe(purchase.points);
    expect(after.balance).toBe(before.balance);
  });

  it('changes the balance exactly once when retried with the same key, even concurrently', async () => {
    const key = randomUUID();
    const input = { userId, merchantId: DEMO_MERCHANT_ID, amountMinor: 50_000 };
    const before = await pointsOf(userId);
    const results = await Promise.all([1, 2, 3].map(() => t.graphql(RECORD, { input, key }, merchantToken)));
    const again = await t.graphql(RECORD, { input, key }, merchantToken);
    const ids = new Set([...results, again].map((r) => r.body.data.recordPurchase.id));
    expect(ids.size).toBe(1);
    const earned = again.body.data.recordPurchase.points;
    expect((await pointsOf(userId)).pending - before.pending).toBe(earned);
    // One entry in the operation log, and one transaction made by it.
    const [{ n }] = (await t.sql`SELECT count(*)::int AS n FROM ledger.transactions t JOIN ledger.operations o ON o.id = t.operation_id
      WHERE o.scope = ${`purchase:${DEMO_MERCHANT_ID}`} AND o.key = ${key}`) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });

  it('refuses the same key with a different purchase, and writes nothing', async () => {
    const key = randomUUID();
    await t.graphql(RECORD, { input: { userId, merchantId: DEMO_MERCHANT_ID, amountMinor: 1_000 }, key }, merchantToken).expect(200);
    const before = await t.sql`SELECT count(*)::int AS n FROM ledger.postings`;
    const res = await t.graphql(RECORD, { input: { userId, merchantId: DEMO_MERCHANT_ID, amountMinor: 2_000 }, key }, merchantToken);
    expect(res.body.errors[0].extensions.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await t.sql`SELECT count(*)::int AS n FROM ledger.postings`).toEqual(before);
  });

  it('keeps every transaction balanced and every cached balance equal to its postings', async () => {
    const unbalanced = await t.sql`SELECT transaction_id FROM ledger.postings GROUP BY transaction_id, asset HAVING sum(amount) <> 0`;
    expect(unbalanced).toHaveLength(0);
    const drift = await t.sql`
      SELECT a.id FROM ledger.accounts a LEFT JOIN ledger.postings p ON p.account_id = a.id
      GROUP BY a.id, a.balance HAVING a.balance <> coalesce(sum(p.amount), 0)`;
    expect(drift).toHaveLength(0);
  });

  it('earns green points for green SKUs and, through the outbox, adds impact records to the green report', async () => {
    const userToken = await t.token({ role: 'consumer', sub: userId });
    const report = async () =>
      (await t.graphql('{ me { greenImpact { totals { co2eGrams records } } } }', {}, userToken)).body.data.me.greenImpact.totals as { co2eGrams: number; records: number };
    const before = await report();
    const appliancesToken = await t.token({ role: 'merchant', merchantId: appliancesId });
    const res = await t
      .graphql(
        RECORD,
        {
          input: { userId, merchantId: appliancesId, amountMinor: 2_580 + 2_900, lines: [{ sku: 'APP-LED-9W', quantity: 2, unitPriceMinor: 1_290 }, { sku: 'APP-AERATOR', quantity: 1, unitPriceMinor: 2_900 }] },
          key: randomUUID(),
        },
        appliancesToken,
      )
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    const purchase = res.body.data.recordPurchase;
    const profiles = await t.sql`SELECT sku, green_points_per_unit, co2e_grams_per_unit FROM green.green_profiles WHERE sku IN ('APP-LED-9W', 'APP-AERATOR')`;
    const rate = (sku: string, col: string) => profiles.find((p) => p['sku'] === sku)![col] as number;
    expect(purchase.greenPoints).toBe(2 * rate('APP-LED-9W', 'green_points_per_unit') + rate('APP-AERATOR', 'green_points_per_unit'));
    expect(purchase.lines[0].product.greenProfile.category).toBe('LED_LIGHTING');

    // The relay delivers the ledger's PurchaseRecorded event to green-impact shortly after the commit.
    const expectedCo2 = 2 * rate('APP-LED-9W', 'co2e_grams_per_unit') + rate('APP-AERATOR', 'co2e_grams_per_unit');
    await expect
      .poll(report, { timeout: 10_000 })
      .toEqual({ co2eGrams: before.co2eGrams + expectedCo2, records: before.records + 2 });
  });

  it('lets only the merchant itself (or an admin) record its purchases', async () => {
    const consumer = await t.token({ role: 'consumer', sub: userId });
    const otherMerchant = await t.token({ role: 'merchant', merchantId: appliancesId });
    for (const [token, code] of [[consumer, 'FORBIDDEN'], [otherMerchant, 'FORBIDDEN'], [undefined, 'UNAUTHENTICATED']] as const) {
      const res = await t.graphql(RECORD, { input: { userId, merchantId: DEMO_MERCHANT_ID, amountMinor: 1_000 }, key: randomUUID() }, token);
      expect(res.body.errors[0].extensions.code).toBe(code);
    }
  });
});
