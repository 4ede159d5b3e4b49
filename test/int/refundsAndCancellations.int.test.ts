// Proves refunds and cancellations hold at their edges: a cancellation with compensation for a user in points debt settles the debt once and leaves the compensation spendable; another merchant replaying a refund's or a cancellation's key gets FORBIDDEN, not the result; a full refund of a large purchase takes back every point (no float rounding); a line given away (priced 0) can be refunded by naming it, reversing its green points; a household dissolved while contributions race it keeps nothing in its pool.
import { randomUUID } from 'node:crypto';
import { isAppError, type Principal } from '@greenpoints/common';
import { onHouseholdDissolved } from '@greenpoints/ledger/consumers/households';
import { fundIssuanceBudget } from '@greenpoints/ledger/operations/fundBudget';
import { contributeToHousehold } from '@greenpoints/ledger/operations/householdTransfers';
import { recordPurchase } from '@greenpoints/ledger/operations/recordPurchase';
import { cancelRedemption, redeemReward } from '@greenpoints/ledger/operations/redeemReward';
import { refundPurchase } from '@greenpoints/ledger/operations/refundPurchase';
import { verifyLedger } from '@greenpoints/ledger/operations/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/eventsDb.ts';
import { FakeMerchants } from '../helpers/fakeMerchants.ts';

let t: FreshDb;
let telecom: string;
let fruit: string;
beforeAll(async () => {
  t = await freshDatabase();
  const rows = await t.sql<{ sku: string; merchant_id: string }[]>`SELECT sku, merchant_id FROM ledger.product_copies WHERE sku IN ('TEL-PLAN-128', 'FRUIT-MANGO-1KG')`;
  telecom = rows.find((r) => r.sku === 'TEL-PLAN-128')!.merchant_id;
  fruit = rows.find((r) => r.sku === 'FRUIT-MANGO-1KG')!.merchant_id;
});
afterAll(async () => {
  // Every scenario above leaves a whole ledger: postings sum to zero, balances equal their postings.
  if (t) {
    const report = await verifyLedger(t.handle.db);
    expect(report.checks.filter((c) => !c.ok && !c.name.includes('chain'))).toEqual([]);
  }
  await t?.drop();
});

const ADMIN: Principal = { role: 'admin', sub: 'a', scopes: [] };
const consumer = (sub: string): Principal => ({ role: 'consumer', sub, scopes: [] });
const merchant = (merchantId: string): Principal => ({ role: 'merchant', merchantId, scopes: [] });
const codeOf = (p: Promise<unknown>) => p.then(() => 'success', (e: unknown) => (isAppError(e) ? e.code : String(e)));

/** A new active member with no points. */
async function newUser(): Promise<string> {
  const userId = randomUUID();
  await t.sql`INSERT INTO ledger.user_copies (user_id, status, position) VALUES (${userId}, 'ACTIVE', 0)`;
  return userId;
}

async function account(userId: string, asset = 'POINTS') {
  const [row] = await t.sql<{ balance: number; debt: number }[]>`SELECT balance::float8 AS balance, debt::float8 AS debt FROM ledger.accounts WHERE kind = 'USER' AND owner_id = ${userId} AND asset = ${asset}`;
  return row!;
}

describe('cancelling a redemption for a user in points debt', () => {
  it('settles the debt once from the returned points and leaves the compensation spendable', async () => {
    const db = t.handle.db;
    const userId = await newUser();
    // The telecom's rule has no pending days: the points are spendable at once.
    const purchase = await recordPurchase(db, merchant(telecom), { userId, merchantId: telecom, amountMinor: 20_000 }, `p-${userId}`);
    const earned = purchase.points;
    expect(earned).toBeGreaterThan(0);
    const reward = { id: randomUUID(), merchantId: telecom, pointsCost: earned, stock: 5 };
    const deps = { db, merchants: new FakeMerchants([reward]) };
    const redemption = await redeemReward(deps, consumer(userId), { rewardId: reward.id, quantity: 1, fromHousehold: false }, `r-${userId}`);
    expect(redemption.status).toBe('POSTED');
    // The purchase is refunded after its points were spent: they become debt.
    await refundPurchase(db, merchant(telecom), { purchaseId: purchase.id }, `rf-${userId}`);
    expect((await account(userId)).debt).toBe(earned);

    // The flight is cancelled: the points come back (settling the debt) with 50 of compensation.
    const cancelled = await cancelRedemption(deps, merchant(telecom), { redemptionId: redemption.id, reason: 'flight cancelled', compensationPoints: 50 });
    expect(cancelled.status).toBe('CANCELLED');
    const [{ open } = { open: -1 }] = await t.sql<{ open: number }[]>`
      SELECT coalesce(sum(l.remaining), 0)::int AS open FROM ledger.lots l JOIN ledger.accounts a ON a.id = l.account_id
       WHERE a.kind = 'USER' AND a.owner_id = ${userId} AND a.asset = 'POINTS' AND l.expires_at > now()`;
    expect({ ...(await account(userId)), spendable: open }).toEqual({ balance: 50, debt: 0, spendable: 50 });
  });
});

describe('a replayed key is authorised like the first call', () => {
  it("another merchant repeating a refund's purchase, key and body gets FORBIDDEN, not the purchase", async () => {
    const db = t.handle.db;
    const userId = await newUser();
    const purchase = await recordPurchase(db, merchant(telecom), { userId, merchantId: telecom, amountMinor: 12_800 }, `p-${userId}`);
    await refundPurchase(db, merchant(telecom), { purchaseId: purchase.id, amount: 1_000 }, 'rf-1');
    expect(await codeOf(refundPurchase(db, merchant(fruit), { purchaseId: purchase.id, amount: 1_000 }, 'rf-2'))).toBe('FORBIDDEN');
    expect(await codeOf(refundPurchase(db, merchant(fruit), { purchaseId: purchase.id, amount: 1_000 }, 'rf-1'))).toBe('FORBIDDEN');
    // The merchant's own retry still returns the first result, and an admin's is authorised too.
    expect((await refundPurchase(db, merchant(telecom), { purchaseId: purchase.id, amount: 1_000 }, 'rf-1')).refundedMinor).toBe(1_000);
    expect((await refundPurchase(db, ADMIN, { purchaseId: purchase.id, amount: 1_000 }, 'rf-1')).refundedMinor).toBe(1_000);
  });

  it('another merchant repeating a cancellation gets FORBIDDEN, not the redemption', async () => {
    const db = t.handle.db;
    const userId = await newUser();
    await recordPurchase(db, merchant(telecom), { userId, merchantId: telecom, amountMinor: 12_800 }, `p-${userId}`);
    const reward = { id: randomUUID(), merchantId: telecom, pointsCost: 50, stock: 5 };
    const deps = { db, merchants: new FakeMerchants([reward]) };
    const r = await redeemReward(deps, consumer(userId), { rewardId: reward.id, quantity: 1, fromHousehold: false }, `r-${userId}`);
    const input = { redemptionId: r.id, reason: 'not delivered', compensationPoints: 0 };
    await cancelRedemption(deps, merchant(telecom), input);
    expect(await codeOf(cancelRedemption(deps, merchant(fruit), input))).toBe('FORBIDDEN');
    expect((await cancelRedemption(deps, merchant(telecom), input)).status).toBe('CANCELLED');
  });
});

describe('a household dissolved while its members are still contributing', () => {
  it('leaves nothing in the pool: each contribution lands before and goes back, or is refused', async () => {
    const db = t.handle.db;
    const userId = await newUser();
    const householdId = randomUUID();
    await t.sql`UPDATE ledger.user_copies SET household_id = ${householdId} WHERE user_id = ${userId}`;
    await recordPurchase(db, merchant(telecom), { userId, merchantId: telecom, amountMinor: 20_000 }, `p-${userId}`);
    const before = (await account(userId)).balance;
    await contributeToHousehold(db, consumer(userId), 10, `c-first-${userId}`);
    // The users event arrives while ten more contributions race it (the read model still says member).
    const dissolve = db.transaction((tx) => onHouseholdDissolved(tx, { payload: { householdId, lastMemberId: userId } } as Parameters<typeof onHouseholdDissolved>[1]));
    const contributions = Array.from({ length: 10 }, (_, i) => codeOf(contributeToHousehold(db, consumer(userId), 10, `c-${i}-${userId}`)));
    const [, ...codes] = await Promise.all([dissolve, ...contributions]);
    for (const code of codes) expect(['success', 'NOT_HOUSEHOLD_MEMBER']).toContain(code);
    // Whatever landed before the dissolution went back with the rest; nothing landed after it.
    const [pool] = await t.sql<{ balance: number }[]>`SELECT balance::int FROM ledger.accounts WHERE kind = 'HOUSEHOLD_POOL' AND owner_id = ${householdId}`;
    expect(pool!.balance).toBe(0);
    expect((await account(userId)).balance).toBe(before);
    // And once it is known, a contribution is refused outright.
    expect(await codeOf(contributeToHousehold(db, consumer(userId), 10, `c-late-${userId}`))).toBe('NOT_HOUSEHOLD_MEMBER');
  });
});

describe('refund arithmetic', () => {
  it('a full refund of a ¥9.9 million purchase takes back every point it earned', async () => {
    const db = t.handle.db;
    // A rule version without a per-order cap (perOrderCap is optional), 1 point per yuan.
    const [{ v } = { v: 0 }] = await t.sql<{ v: number }[]>`SELECT max(version)::int AS v FROM ledger.earn_rules WHERE merchant_id = ${telecom}`;
    await t.sql`INSERT INTO ledger.earn_rules (merchant_id, version, points_per_yuan, pending_days, per_order_cap, category_points_per_yuan, points_valid_days, effective_from)
              VALUES (${telecom}, ${v + 1}, 1, 0, NULL, '{}'::jsonb, 365, now() - interval '1 day')`;
    await fundIssuanceBudget(db, ADMIN, telecom, 100_000_000, 'POINTS', `fund-${randomUUID()}`);
    const userId = await newUser();
    // points × fen = 9,945,051 × 994,505,159 ≈ 9.9e15 > 2^53: a float product rounds.
    const purchase = await recordPurchase(db, merchant(telecom), { userId, merchantId: telecom, amountMinor: 994_505_159 }, `p-${userId}`);
    expect(purchase.points).toBe(9_945_051);
    expect((await refundPurchase(db, merchant(telecom), { purchaseId: purchase.id }, `rf-${userId}`)).status).toBe('REFUNDED');
    const [refund] = await t.sql<{ points: number }[]>`SELECT points::float8 AS points FROM ledger.refunds WHERE purchase_id = ${purchase.id}`;
    expect({ refunded: refund!.points, balance: (await account(userId)).balance }).toEqual({ refunded: 9_945_051, balance: 0 });
  });

  it('a line given away (priced 0) is refunded by naming it: its green points are reversed, no money moves', async () => {
    const db = t.handle.db;
    const [led] = await t.sql<{ merchant_id: string }[]>`SELECT merchant_id FROM ledger.product_copies WHERE sku = 'APP-LED-9W'`;
    const shop = led!.merchant_id;
    const [plain] = await t.sql<{ sku: string; price_minor: number }[]>`
      SELECT p.sku, p.price_minor FROM ledger.product_copies p WHERE p.merchant_id = ${shop}
         AND NOT EXISTS (SELECT 1 FROM ledger.green_sku_versions g WHERE g.sku = p.sku) ORDER BY p.sku LIMIT 1`;
    const userId = await newUser();
    const purchase = await recordPurchase(db, merchant(shop), {
      userId,
      merchantId: shop,
      amountMinor: plain!.price_minor,
      lines: [
        { sku: plain!.sku, quantity: 1, unitPriceMinor: plain!.price_minor },
        { sku: 'APP-LED-9W', quantity: 10, unitPriceMinor: 0 },
      ],
    }, `p-${userId}`);
    expect(purchase.greenPoints).toBeGreaterThan(0);
    expect((await refundPurchase(db, merchant(shop), { purchaseId: purchase.id, lines: [{ sku: plain!.sku, quantity: 1 }] }, 'rf-1')).status).toBe('REFUNDED');
    expect((await account(userId, 'GREEN_POINTS')).balance).toBe(purchase.greenPoints);
    await refundPurchase(db, merchant(shop), { purchaseId: purchase.id, lines: [{ sku: 'APP-LED-9W', quantity: 10 }] }, 'rf-2');
    expect((await account(userId, 'GREEN_POINTS')).balance).toBe(0);
    const refunds = await t.sql<{ amount_minor: number; green_points: number }[]>`SELECT amount_minor::int, green_points::int FROM ledger.refunds WHERE purchase_id = ${purchase.id} ORDER BY created_at`;
    expect(refunds.map((r) => r.amount_minor)).toEqual([plain!.price_minor, 0]);
    expect(refunds[1]!.green_points).toBe(purchase.greenPoints);
    // Nothing is left to refund now: neither money nor lines.
    expect(await codeOf(refundPurchase(db, merchant(shop), { purchaseId: purchase.id }, 'rf-3'))).toBe('REFUND_EXCEEDS_PURCHASE');
    expect(await codeOf(refundPurchase(db, merchant(shop), { purchaseId: purchase.id, lines: [{ sku: 'APP-LED-9W', quantity: 1 }] }, 'rf-4'))).toBe('REFUND_EXCEEDS_PURCHASE');
  });
});
