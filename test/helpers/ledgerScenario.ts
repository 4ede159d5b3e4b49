/** The seeded world the ledger's property test runs in, the operations it draws, and a tour of every path. */
import fc from 'fast-check';
import type postgres from 'postgres';
import { expect } from 'vitest';
import type { FakeReward } from './fakeMerchants.ts';
import { DAY_MS, type Rule } from './ledgerModel.ts';

export const HOUR_MS = 3_600_000;

export type Replay = 'none' | 'same' | 'conflict';
export type Cmd =
  | { t: 'earn'; user: number; merchant: number; lines: { product: number; qty: number }[] | null; amountMinor: number; backHours: number; replay: Replay }
  | { t: 'refund'; purchase: number; kind: 'full' | 'amount' | 'lines'; percent: number; replay: Replay }
  | { t: 'redeem'; user: number; reward: number; quantity: number; pool: boolean; replay: Replay }
  | { t: 'cancel'; redemption: number; compensation: number; byAdmin: boolean; replay: Replay }
  | { t: 'transfer'; from: number; to: number; amount: number; replay: Replay }
  | { t: 'contribute'; from: number; amount: number; replay: Replay }
  | { t: 'clawback'; user: number; points: number; freeze: boolean; confirm: boolean; replay: Replay }
  | { t: 'unfreeze'; user: number }
  | { t: 'expire'; replay: Replay }
  | { t: 'advance'; ms: number }
  | { t: 'outage'; down: boolean }
  | { t: 'recover' }
  /** Retries an earlier operation (one whose key was taken) with its key, later on. */
  | { t: 'retry'; op: number };

const replay = fc.constantFrom<Replay>('none', 'none', 'same', 'conflict');
const member = fc.nat(2);
export const command: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('earn' as const), user: member, merchant: fc.nat(2), lines: fc.option(fc.array(fc.record({ product: fc.nat(9), qty: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3 }), { nil: null }), amountMinor: fc.integer({ min: 1_000, max: 100_000 }), backHours: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 200 }) }), replay }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('refund' as const), purchase: fc.nat(9), kind: fc.constantFrom('full' as const, 'amount' as const, 'lines' as const), percent: fc.integer({ min: 1, max: 99 }), replay }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('redeem' as const), user: member, reward: fc.nat(2), quantity: fc.integer({ min: 1, max: 2 }), pool: fc.boolean(), replay }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('cancel' as const), redemption: fc.nat(9), compensation: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200 })), byAdmin: fc.boolean(), replay }) },
  // `to` counts members on from the sender: 0 is the sender (refused), 3 a stranger (refused).
  { weight: 2, arbitrary: fc.record({ t: fc.constant('transfer' as const), from: member, to: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 2 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 3) }), amount: fc.integer({ min: 1, max: 400 }), replay }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('contribute' as const), from: member, amount: fc.integer({ min: 1, max: 300 }), replay }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('clawback' as const), user: member, points: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 300 }) }, { weight: 1, arbitrary: fc.constant(1_000_000) }), freeze: fc.boolean(), confirm: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), replay }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('unfreeze' as const), user: member }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('expire' as const), replay }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      ms: fc.oneof(
        { weight: 2, arbitrary: fc.integer({ min: 60_000, max: 6 * HOUR_MS }) },
        { weight: 3, arbitrary: fc.integer({ min: 1, max: 20 }).map((d) => d * DAY_MS) },
        { weight: 1, arbitrary: fc.integer({ min: 366, max: 380 }).map((d) => d * DAY_MS) },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('outage' as const), down: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('recover' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('retry' as const), op: fc.nat(40) }) },
);

export interface World {
  households: { id: string; members: string[] }[];
  /** An active user outside every household the test uses: transfers to them are refused. */
  stranger: string;
  merchants: { id: string; products: { sku: string; priceMinor: number }[] }[];
  rules: Map<string, Rule>;
  greenRates: Map<string, number>;
  rewards: FakeReward[];
  /**
   * Each sequence's clock starts here, 400 days before `limit` (and after the earn rules took
   * effect): the seeded lots are still pending then, and become spendable as the clock moves on.
   */
  start: number;
  /**
   * The clock never passes the first expiry of a seeded lot: an expiry run there would sweep the
   * lots of all 300 seeded users (most of this test's time) and prove nothing more.
   */
  limit: number;
}

export async function loadWorld(sql: postgres.Sql): Promise<World> {
  const households = await sql<{ id: string; members: string[] }[]>`
    SELECT household_id AS id, (array_agg(user_id::text ORDER BY user_id))[1:3] AS members
      FROM ledger.user_copies WHERE status = 'ACTIVE' AND household_id IS NOT NULL
     GROUP BY household_id HAVING count(*) >= 3 ORDER BY household_id`;
  const [stranger] = await sql<{ id: string }[]>`SELECT user_id AS id FROM ledger.user_copies WHERE status = 'ACTIVE' AND household_id IS NULL ORDER BY user_id LIMIT 1`;
  // A fruit shop (a green reusable bag, pending a day), a telecom (no pending days), an appliance shop (green SKUs, 14 days).
  const owners = await sql<{ sku: string; merchant_id: string }[]>`SELECT sku, merchant_id FROM ledger.product_copies WHERE sku IN ('FRUIT-MANGO-1KG', 'TEL-PLAN-128', 'APP-LED-9W')`;
  const ids = ['FRUIT-MANGO-1KG', 'TEL-PLAN-128', 'APP-LED-9W'].map((sku) => owners.find((o) => o.sku === sku)!.merchant_id);
  const products = await sql<{ sku: string; merchant_id: string; price_minor: number }[]>`SELECT sku, merchant_id, price_minor FROM ledger.product_copies WHERE merchant_id IN ${sql(ids)} ORDER BY sku`;
  const rules = await sql<{ merchant_id: string; points_per_yuan: number; pending_days: number; per_order_cap: number | null; points_valid_days: number; category_points_per_yuan: Record<string, number>; effective_from: Date }[]>`
    SELECT merchant_id, points_per_yuan, pending_days, per_order_cap, points_valid_days, category_points_per_yuan, effective_from FROM ledger.earn_rules WHERE merchant_id IN ${sql(ids)}`;
  const promotions = await sql`SELECT promotion_id FROM ledger.promotions WHERE merchant_id IN ${sql(ids)}`;
  const green = await sql<{ sku: string; green_points_per_unit: number; effective_from: Date }[]>`SELECT sku, green_points_per_unit, effective_from FROM ledger.green_sku_versions`;
  const [lots] = await sql<{ first: Date }[]>`SELECT min(expires_at) AS first FROM ledger.lots`;
  // One rule version each, one rate for every category and no promotions, one green profile version
  // each: the model earns points per yuan × tier, and needs no history of rules or profiles.
  expect(rules).toHaveLength(3);
  expect(rules.map((r) => r.category_points_per_yuan)).toEqual([{}, {}, {}]);
  expect(promotions).toEqual([]);
  expect(new Set(green.map((g) => g.sku)).size).toBe(green.length);
  const limit = lots!.first.getTime() - DAY_MS;
  const start = Math.max(limit - 400 * DAY_MS, ...[...rules, ...green].map((r) => r.effective_from.getTime() + 10 * DAY_MS));
  return {
    households,
    stranger: stranger!.id,
    merchants: ids.map((id) => ({ id, products: products.filter((p) => p.merchant_id === id).map((p) => ({ sku: p.sku, priceMinor: p.price_minor })) })),
    rules: new Map(rules.map((r) => [r.merchant_id, { pointsPerYuan: r.points_per_yuan, pendingDays: r.pending_days, perOrderCap: r.per_order_cap, validDays: r.points_valid_days }])),
    greenRates: new Map(green.map((g) => [g.sku, g.green_points_per_unit])),
    rewards: [
      { id: '7d1f6a52-3c0e-4d35-9a4e-0000000a0001', merchantId: ids[0]!, pointsCost: 40, stock: 3 },
      { id: '7d1f6a52-3c0e-4d35-9a4e-0000000a0002', merchantId: ids[1]!, pointsCost: 90, stock: 2 },
      { id: '7d1f6a52-3c0e-4d35-9a4e-0000000a0003', merchantId: ids[2]!, pointsCost: 150, stock: 100 },
    ],
    start,
    limit,
  };
}

/**
 * One sequence written out, run before the random ones, so every path is taken at least once
 * whatever the generator draws: redemptions posted, voided for stock, held through an outage and
 * recovered, cancelled with compensation (also from the pool); a clawback of everything, a refund
 * that leaves debt and an earning that settles it; frozen and stranger refusals; a year's expiry;
 * a retry a year late.
 * Merchants: 0 fruit shop, 1 telecom (no pending days), 2 appliances (green SKUs, 14 days).
 * Rewards: 0 fruit (40 points, 3 in stock), 1 telecom (90, 2 in stock), 2 appliances (150).
 * Purchases 0–2 are the prelude's (one per member at the telecom); the tour's own start at 3.
 * After the year, the backdated purchase (operation 5 of the sequence's history) is retried with its key.
 */
export const tour: Cmd[] = [
  { t: 'earn', user: 0, merchant: 1, lines: null, amountMinor: 60_000, backHours: 0, replay: 'same' },
  { t: 'earn', user: 1, merchant: 1, lines: null, amountMinor: 30_000, backHours: 0, replay: 'conflict' },
  { t: 'earn', user: 2, merchant: 2, lines: [{ product: 4, qty: 3 }, { product: 3, qty: 1 }], amountMinor: 0, backHours: 2, replay: 'none' },
  { t: 'transfer', from: 0, to: 1, amount: 100, replay: 'same' },
  { t: 'contribute', from: 1, amount: 200, replay: 'conflict' },
  { t: 'redeem', user: 0, reward: 1, quantity: 2, pool: false, replay: 'same' },
  { t: 'redeem', user: 1, reward: 1, quantity: 1, pool: false, replay: 'same' },
  { t: 'redeem', user: 2, reward: 0, quantity: 1, pool: true, replay: 'conflict' },
  { t: 'outage', down: true },
  { t: 'redeem', user: 0, reward: 2, quantity: 1, pool: false, replay: 'same' },
  { t: 'recover' },
  { t: 'cancel', redemption: 0, compensation: 50, byAdmin: false, replay: 'conflict' },
  { t: 'cancel', redemption: 2, compensation: 0, byAdmin: true, replay: 'same' },
  { t: 'clawback', user: 1, points: 1_000_000, freeze: true, confirm: true, replay: 'same' },
  { t: 'redeem', user: 1, reward: 0, quantity: 1, pool: false, replay: 'none' },
  { t: 'transfer', from: 0, to: 3, amount: 10, replay: 'none' },
  { t: 'unfreeze', user: 1 },
  { t: 'refund', purchase: 4, kind: 'full', percent: 50, replay: 'same' },
  { t: 'earn', user: 1, merchant: 0, lines: [{ product: 3, qty: 2 }], amountMinor: 0, backHours: 0, replay: 'none' },
  { t: 'refund', purchase: 5, kind: 'lines', percent: 50, replay: 'none' },
  { t: 'refund', purchase: 3, kind: 'amount', percent: 30, replay: 'conflict' },
  { t: 'advance', ms: 370 * DAY_MS },
  { t: 'retry', op: 5 },
  { t: 'expire', replay: 'same' },
  { t: 'redeem', user: 0, reward: 0, quantity: 1, pool: false, replay: 'none' },
];
