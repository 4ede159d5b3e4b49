// Proves the ledger's operations through the gateway: the dishonest-merchant cases are refused and
// write nothing; earn, redeem, refund, expiry and household transfers move exactly what they say;
// redemptions racing on one account never overspend; transfers racing both ways never deadlock; a
// hold a crash left behind is finished by the recovery pass; and ledger:verify stays clean.
import { randomUUID } from 'node:crypto';
import { DAY_MS, DEMO_CONSUMER_ID, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { merchantsClient, type MerchantsService } from '@greenpoints/ledger/merchantsClient';
import { sealOperations } from '@greenpoints/ledger/operations/operationLog';
import { recoverRedemptions, redeemReward } from '@greenpoints/ledger/operations/redeemReward';
import { verifyLedger } from '@greenpoints/ledger/operations/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secrets, startTestStack, type TestStack } from '../helpers/stack.ts';

const RECORD = `mutation ($input: PurchaseInput!, $key: ID!) { recordPurchase(input: $input, idempotencyKey: $key) { id points greenPoints status refundedMinor } }`;
const REDEEM = `mutation ($r: ID!, $q: Int, $key: ID!, $h: Boolean) { redeemReward(rewardId: $r, quantity: $q, idempotencyKey: $key, fromHousehold: $h) { id status points quantity fromHousehold merchant { id } } }`;
const REFUND = `mutation ($p: ID!, $amount: Int, $lines: [RefundLineInput!], $key: ID!) { refundPurchase(purchaseId: $p, amount: $amount, lines: $lines, idempotencyKey: $key) { id status refundedMinor } }`;
const TRANSFER = `mutation ($to: ID!, $n: Int!, $key: ID!) { transferPoints(toUserId: $to, amount: $n, idempotencyKey: $key) { id type points } }`;
const ACCOUNT = `query ($id: ID!) { user(id: $id) { points { balance pending pointsDebt green: balance(asset: GREEN_POINTS) greenPending: pending(asset: GREEN_POINTS) frozen fraudCases { status reason frozen } } } }`;

let t: TestStack;
let fruitToken: string;
let adminToken: string;
let appliances: string;

beforeAll(async () => {
  t = await startTestStack();
  fruitToken = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
  adminToken = await t.token({ role: 'admin', sub: 'ops-1' });
  appliances = (await t.sql`SELECT id FROM merchants.merchants WHERE category = 'APPLIANCES'`)[0]!['id'];
});
afterAll(() => t?.stop());

const ledgerDb = () => t.stack.subgraphDbs.ledger.db;
const consumer = (id: string) => t.token({ role: 'consumer', sub: id });
async function account(id: string) {
  const res = await t.graphql(ACCOUNT, { id }, adminToken).expect(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.user.points as { balance: number; pending: number; pointsDebt: number; green: number; greenPending: number; frozen: boolean; fraudCases: unknown[] };
}
async function counts() {
  const [row] = await t.sql`SELECT (SELECT count(*) FROM ledger.operations)::int AS ops, (SELECT count(*) FROM ledger.transactions)::int AS txs,
    (SELECT count(*) FROM ledger.postings)::int AS postings, (SELECT count(*) FROM ledger.lots)::int AS lots, (SELECT count(*) FROM ledger.outbox)::int AS events`;
  return row;
}
/** A user with no household, for arithmetic nobody else disturbs. */
async function loneUser(offset: number): Promise<string> {
  return (await t.sql`SELECT user_id FROM ledger.user_copies WHERE household_id IS NULL AND status = 'ACTIVE' ORDER BY user_id OFFSET ${offset} LIMIT 1`)[0]!['user_id'];
}
async function addReward(merchantId: string, cost: number, stock: number): Promise<string> {
  const id = randomUUID();
  await t.sql`INSERT INTO merchants.rewards (id, merchant_id, title, kind, points_cost, stock, valid_from, terms)
    VALUES (${id}, ${merchantId}, 'Test reward', 'GOODS', ${cost}, ${stock}, ${new Date(Date.now() - DAY_MS)}, 'Used like a bought one.')`;
  return id;
}
/**
 * Test setup: every lot of the user past its return window now, so no pending lot turns available
 * while the test reads balances (the seed's most recent purchases are only days old).
 */
async function pastReturnWindow(user: string): Promise<void> {
  await t.sql`UPDATE ledger.lots SET available_at = now() - interval '1 second'
    WHERE available_at > now() - interval '1 second' AND account_id IN (SELECT id FROM ledger.accounts WHERE kind = 'USER' AND owner_id = ${user})`;
}
async function verifyClean() {
  while ((await sealOperations(ledgerDb())) > 0);
  const report = await verifyLedger(ledgerDb());
  expect(report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${JSON.stringify(c.violations)}`)).toEqual([]);
  expect(report.chain.brokenAt).toBeNull();
}

/**
 * Test setup: moves the appliance shop's green budget to `balance` by a balanced transaction into a
 * sink account (as if spent elsewhere, or overdrawn as an old seed left budgets). Returns its id.
 */
async function setGreenBudget(balance: number, description: string): Promise<string> {
  const [budget] = await t.sql`SELECT id, balance FROM ledger.accounts WHERE kind = 'MERCHANT_ISSUANCE' AND owner_id = ${appliances} AND asset = 'GREEN_POINTS'`;
  const txId = randomUUID();
  const sink = randomUUID();
  const take = Number(budget!['balance']) - balance;
  await t.sql.begin(async (sql) => {
    await sql`INSERT INTO ledger.transactions (id, type, idempotency_key, description) VALUES (${txId}, 'ADJUSTMENT', ${'test:' + txId}, ${description})`;
    await sql`INSERT INTO ledger.accounts (id, kind, owner_id, asset) VALUES (${sink}, 'BREAKAGE', ${'test-' + txId}, 'GREEN_POINTS')`;
    await sql`INSERT INTO ledger.postings (transaction_id, account_id, asset, amount) VALUES (${txId}, ${budget!['id']}, 'GREEN_POINTS', ${-take}), (${txId}, ${sink}, 'GREEN_POINTS', ${take})`;
    await sql`UPDATE ledger.accounts SET balance = balance - ${take} WHERE id = ${budget!['id']}`;
  });
  return budget!['id'] as string;
}

describe('a dishonest merchant', () => {
  it('cannot earn green points on another merchant’s SKUs, mismatched lines, a stranger or a backdated purchase, and writes nothing', async () => {
    const user = await loneUser(0);
    const before = await counts();
    const cases: [Record<string, unknown>, string][] = [
      // ¥0.01 with 200 lines of the appliance shop's LED bulbs, at the fruit shop.
      [{ userId: user, merchantId: DEMO_MERCHANT_ID, amountMinor: 1, lines: Array.from({ length: 200 }, (_, i) => ({ sku: 'APP-LED-9W', quantity: 1, unitPriceMinor: i === 0 ? 1 : 0 })) }, 'UNKNOWN_PRODUCT'],
      [{ userId: user, merchantId: appliances, amountMinor: 1, lines: [{ sku: 'APP-LED-9W', quantity: 200, unitPriceMinor: 1290 }] }, 'LINES_MISMATCH'],
      [{ userId: randomUUID(), merchantId: DEMO_MERCHANT_ID, amountMinor: 10_000 }, 'UNKNOWN_USER'],
      [{ userId: user, merchantId: DEMO_MERCHANT_ID, amountMinor: 10_000, occurredAt: new Date(Date.now() - 30 * DAY_MS).toISOString() }, 'PURCHASE_OUT_OF_WINDOW'],
    ];
    for (const [input, code] of cases) {
      const token = input['merchantId'] === appliances ? await t.token({ role: 'merchant', merchantId: appliances }) : fruitToken;
      const res = await t.graphql(RECORD, { input, key: randomUUID() }, token).expect(200);
      expect(res.body.errors?.[0]?.extensions?.code, JSON.stringify(input).slice(0, 80)).toBe(code);
    }
    expect(await counts()).toEqual(before);
  });

  it('cannot issue beyond its funded green budget: BUDGET_EXHAUSTED, nothing written', async () => {
    const user = await loneUser(1);
    const token = await t.token({ role: 'merchant', merchantId: appliances });
    // Test setup: the appliance shop's green budget is used up elsewhere (a balanced transaction).
    await setGreenBudget(0, 'test: budget used elsewhere');
    const before = await counts();
    const res = await t.graphql(RECORD, { input: { userId: user, merchantId: appliances, amountMinor: 2 * 1290, lines: [{ sku: 'APP-LED-9W', quantity: 2, unitPriceMinor: 1290 }] }, key: randomUUID() }, token).expect(200);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BUDGET_EXHAUSTED');
    expect(await counts()).toEqual(before);
  });

  it('still takes an admin’s funding into a budget an error left below zero, and issues from it only once it is positive', async () => {
    // Test setup: the (now empty) green budget overdrawn by 1,000 by a balanced transaction, as an
    // old seed left large ones. Funding 500 used to be refused as BUDGET_EXHAUSTED.
    const budgetId = await setGreenBudget(-1000, 'test: budget overdrawn');
    const fund = await t.graphql(`mutation { fundIssuanceBudget(merchantId: "${appliances}", points: 500, asset: GREEN_POINTS, idempotencyKey: "short-1") { type } }`, {}, adminToken).expect(200);
    expect(fund.body.errors).toBeUndefined();
    const [after] = await t.sql`SELECT balance FROM ledger.accounts WHERE id = ${budgetId}`;
    expect(Number(after!['balance'])).toBe(-500);
    const user = await loneUser(1);
    const token = await t.token({ role: 'merchant', merchantId: appliances });
    const res = await t.graphql(RECORD, { input: { userId: user, merchantId: appliances, amountMinor: 1290, lines: [{ sku: 'APP-LED-9W', quantity: 1, unitPriceMinor: 1290 }] }, key: randomUUID() }, token).expect(200);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BUDGET_EXHAUSTED');
    // Back to zero for the tests below, which refill it.
    await t.graphql(`mutation { fundIssuanceBudget(merchantId: "${appliances}", points: 500, asset: GREEN_POINTS, idempotencyKey: "short-2") { type } }`, {}, adminToken).expect(200);
  });
});

describe('earn at one merchant, redeem at another, refund', () => {
  it('moves exactly the points each step says, with stock taken once', async () => {
    const user = await loneUser(8);
    await pastReturnWindow(user);
    const token = await consumer(user);
    const before = await account(user);
    expect(before.balance).toBeGreaterThanOrEqual(200);
    const reward = await addReward(appliances, 100, 5);
    const key = randomUUID();
    const res = await t.graphql(REDEEM, { r: reward, q: 2, key }, token).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.redeemReward).toMatchObject({ status: 'POSTED', points: 200, quantity: 2, fromHousehold: false, merchant: { id: appliances } });
    const again = await t.graphql(REDEEM, { r: reward, q: 2, key }, token).expect(200);
    expect(again.body.data.redeemReward.id).toBe(res.body.data.redeemReward.id);
    expect((await account(user)).balance).toBe(before.balance - 200);
    expect((await t.sql`SELECT stock FROM merchants.rewards WHERE id = ${reward}`)[0]!['stock']).toBe(3);
    expect((await t.sql`SELECT status FROM merchants.stock_reservations WHERE redemption_id = ${res.body.data.redeemReward.id}`)[0]!['status']).toBe('CONFIRMED');

    // Out of stock: the hold is voided and the points come back.
    const more = await t.graphql(REDEEM, { r: reward, q: 4, key: randomUUID() }, token).expect(200);
    expect(more.body.errors?.[0]?.extensions?.code).toBe('OUT_OF_STOCK');
    expect((await account(user)).balance).toBe(before.balance - 200);
    await verifyClean();
  });

  it('refunds in part by lines and in full: pending voided, spent points become debt settled by the next purchase', async () => {
    const user = await loneUser(2);
    const appliancesToken = await t.token({ role: 'merchant', merchantId: appliances });
    // Refill the green budget emptied above, as an admin records a purchase of green points.
    const fund = await t.graphql(`mutation { fundIssuanceBudget(merchantId: "${appliances}", points: 100000, asset: GREEN_POINTS, idempotencyKey: "refill-1") { type } }`, {}, adminToken).expect(200);
    expect(fund.body.errors).toBeUndefined();
    const lines = [{ sku: 'APP-LED-9W', quantity: 2, unitPriceMinor: 1290 }, { sku: 'APP-SHOWER-WS', quantity: 1, unitPriceMinor: 1290 }];
    const bought = await t.graphql(RECORD, { input: { userId: user, merchantId: appliances, amountMinor: 3 * 1290, lines }, key: randomUUID() }, appliancesToken).expect(200);
    expect(bought.body.errors).toBeUndefined();
    const purchase = bought.body.data.recordPurchase;
    const afterBuy = await account(user);
    expect(afterBuy.greenPending).toBeGreaterThanOrEqual(purchase.greenPoints);

    // A partial refund by amount is refused for a purchase with green lines: name the lines.
    const vague = await t.graphql(REFUND, { p: purchase.id, amount: 1290, key: randomUUID() }, appliancesToken).expect(200);
    expect(vague.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // The fruit shop may not refund the appliance shop's purchase.
    const foreign = await t.graphql(REFUND, { p: purchase.id, key: randomUUID() }, fruitToken).expect(200);
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const part = await t.graphql(REFUND, { p: purchase.id, lines: [{ sku: 'APP-LED-9W', quantity: 1 }], key: 'r1' }, appliancesToken).expect(200);
    expect(part.body.errors).toBeUndefined();
    expect(part.body.data.refundPurchase).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedMinor: 1290 });
    const [line] = await t.sql`SELECT green_points FROM ledger.purchase_lines WHERE purchase_id = ${purchase.id} AND sku = 'APP-LED-9W'`;
    const afterPart = await account(user);
    expect(afterBuy.greenPending - afterPart.greenPending).toBe(Math.floor(Number(line!['green_points']) / 2));

    const rest = await t.graphql(REFUND, { p: purchase.id, key: 'r2' }, appliancesToken).expect(200);
    expect(rest.body.data.refundPurchase).toMatchObject({ status: 'REFUNDED', refundedMinor: 3 * 1290 });
    const afterFull = await account(user);
    expect(afterFull.pending).toBe(afterBuy.pending - purchase.points);
    expect(afterFull.greenPending).toBe(afterBuy.greenPending - purchase.greenPoints);
    const over = await t.graphql(REFUND, { p: purchase.id, key: 'r3' }, appliancesToken).expect(200);
    expect(over.body.errors?.[0]?.extensions?.code).toBe('REFUND_EXCEEDS_PURCHASE');
    await verifyClean();
  });

  /**
   * A purchase whose points are available at once (test setup: its lot's return window has passed),
   * everything the user holds spent on one reward, then the purchase refunded: its points become debt.
   */
  async function spendAllThenRefund(user: string, amountMinor: number) {
    const bought = await t.graphql(RECORD, { input: { userId: user, merchantId: DEMO_MERCHANT_ID, amountMinor }, key: randomUUID() }, fruitToken).expect(200);
    const purchase = bought.body.data.recordPurchase;
    await pastReturnWindow(user);
    const balance = (await account(user)).balance;
    const reward = await addReward(appliances, balance, 1);
    const spent = await t.graphql(REDEEM, { r: reward, key: randomUUID() }, await consumer(user)).expect(200);
    expect(spent.body.data.redeemReward.status).toBe('POSTED');
    expect((await account(user)).balance).toBe(0);
    const refunded = await t.graphql(REFUND, { p: purchase.id, key: randomUUID() }, fruitToken).expect(200);
    expect(refunded.body.errors).toBeUndefined();
    expect((await account(user)).pointsDebt).toBe(purchase.points);
    return { purchase, balance, redemptionId: spent.body.data.redeemReward.id as string };
  }

  it('records points already spent as debt, and the next earning settles it first', async () => {
    const user = await loneUser(9);
    const { purchase } = await spendAllThenRefund(user, 100_000);
    const next = await t.graphql(RECORD, { input: { userId: user, merchantId: DEMO_MERCHANT_ID, amountMinor: 1_000 }, key: randomUUID() }, fruitToken).expect(200);
    const settled = await account(user);
    expect(settled.pointsDebt).toBe(Math.max(0, purchase.points - next.body.data.recordPurchase.points));
    expect(settled.pending).toBe(Math.max(0, next.body.data.recordPurchase.points - purchase.points));
    await verifyClean();
  });

  it('puts lapsed points back to breakage, not against a debt, when a redemption is cancelled', async () => {
    const user = await loneUser(11);
    const { purchase, balance, redemptionId } = await spendAllThenRefund(user, 50_000);
    // Test setup: the lots the redemption drew from lapse before the merchant cancels it.
    await t.sql`UPDATE ledger.lots SET available_at = now() - interval '2 days', expires_at = now() - interval '1 day' WHERE id IN (
      SELECT a.lot_id FROM ledger.lot_allocations a JOIN ledger.redemptions r ON r.hold_transaction_id = a.transaction_id WHERE r.id = ${redemptionId})`;
    const appliancesToken = await t.token({ role: 'merchant', merchantId: appliances });
    const cancelled = await t.graphql('mutation ($id: ID!) { cancelRedemption(redemptionId: $id, reason: "Out of season") { status } }', { id: redemptionId }, appliancesToken).expect(200);
    expect(cancelled.body.errors).toBeUndefined();
    // The points came back with their own (lapsed) dates: they do not pay the debt, and the expiry run takes them.
    expect((await account(user)).pointsDebt).toBe(purchase.points);
    const expired = await t.graphql(`mutation ($asOf: DateTime!) { expirePoints(asOf: $asOf, idempotencyKey: ${JSON.stringify(randomUUID())}) { points } }`, { asOf: new Date().toISOString() }, adminToken).expect(200);
    expect(expired.body.data.expirePoints.points).toBeGreaterThanOrEqual(balance);
    expect(await account(user)).toMatchObject({ balance: 0, pointsDebt: purchase.points });
    await verifyClean();
  });
});

describe('racing', () => {
  it('50 redemptions on one account of which 10 are affordable: exactly 10 pass, the rest INSUFFICIENT_POINTS', async () => {
    const user = await loneUser(3);
    await pastReturnWindow(user);
    const balance = (await account(user)).balance;
    expect(balance).toBeGreaterThanOrEqual(100);
    const cost = Math.floor(balance / 10);
    const reward = await addReward(DEMO_MERCHANT_ID, cost, 1_000);
    const token = await consumer(user);
    const results = await Promise.all(Array.from({ length: 50 }, () => t.graphql(REDEEM, { r: reward, key: randomUUID() }, token)));
    const codes = results.map((r) => r.body.errors?.[0]?.extensions?.code ?? r.body.data.redeemReward.status);
    expect(codes.filter((c) => c === 'POSTED')).toHaveLength(10);
    expect(codes.filter((c) => c === 'INSUFFICIENT_POINTS')).toHaveLength(40);
    expect((await account(user)).balance).toBe(balance - 10 * cost);
    expect((await t.sql`SELECT stock FROM merchants.rewards WHERE id = ${reward}`)[0]!['stock']).toBe(990);
    await verifyClean();
  });

  it('transfers racing in both directions inside a household never deadlock and conserve the points', async () => {
    const [a, b] = (await t.sql`SELECT u.user_id FROM ledger.user_copies u WHERE u.household_id = (SELECT household_id FROM ledger.user_copies WHERE user_id = ${DEMO_CONSUMER_ID}) ORDER BY u.user_id`).map((r) => r['user_id'] as string);
    expect(a && b).toBeTruthy();
    const [ta, tb] = [await consumer(a!), await consumer(b!)];
    await pastReturnWindow(a!);
    await pastReturnWindow(b!);
    const before = (await account(a!)).balance + (await account(b!)).balance;
    const calls = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? t.graphql(TRANSFER, { to: b, n: 1, key: randomUUID() }, ta) : t.graphql(TRANSFER, { to: a, n: 1, key: randomUUID() }, tb)));
    const results = await Promise.all(calls);
    for (const r of results) expect(r.body.errors?.[0]?.extensions?.code ?? 'OK').toMatch(/^(OK|INSUFFICIENT_POINTS)$/);
    expect((await account(a!)).balance + (await account(b!)).balance).toBe(before);
    // Each side of a transfer sees its own amount.
    const sent = results.find((r, i) => i % 2 === 0 && !r.body.errors);
    if (sent) expect(sent.body.data.transferPoints.points).toBe(-1);
    await verifyClean();
  });

  it('refuses a transfer to someone outside the household with NOT_HOUSEHOLD_MEMBER and moves nothing', async () => {
    const stranger = await loneUser(4);
    const before = await counts();
    const res = await t.graphql(TRANSFER, { to: stranger, n: 1, key: randomUUID() }, await consumer(DEMO_CONSUMER_ID)).expect(200);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_HOUSEHOLD_MEMBER');
    expect(await counts()).toEqual(before);
  });
});

describe('a household dissolved', () => {
  /** Polls `read` until `done` holds of its answer (events travel through the relay), for 15 s at most. */
  async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
    for (let i = 0; ; i++) {
      const v = await read();
      if (done(v) || i >= 150) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const pool = async (householdId: string) =>
    Number((await t.sql`SELECT coalesce((SELECT balance FROM ledger.accounts WHERE kind = 'HOUSEHOLD_POOL' AND owner_id = ${householdId} AND asset = 'POINTS'), 0)::int AS b`)[0]!['b']);

  it('gives its pool back to its last member when they leave, and later returns to the pool too: points belong to the consumer', async () => {
    const user = await loneUser(6);
    await pastReturnWindow(user);
    const token = await consumer(user);
    const before = (await account(user)).balance;
    expect(before).toBeGreaterThanOrEqual(150);
    const created = await t.graphql('mutation { createHousehold(name: "一个人的家") { id } }', {}, token).expect(200);
    const householdId = created.body.data.createHousehold.id as string;
    // The ledger learns of the membership from the users events before points can be pooled.
    await until(async () => (await t.sql`SELECT household_id FROM ledger.user_copies WHERE user_id = ${user}`)[0]!['household_id'], (h) => h === householdId);
    const contributed = await t.graphql('mutation ($n: Int!, $key: ID!) { contributeToHousehold(amount: $n, idempotencyKey: $key) { id } }', { n: 150, key: randomUUID() }, token).expect(200);
    expect(contributed.body.errors).toBeUndefined();
    expect(await pool(householdId)).toBe(150);
    expect((await account(user)).balance).toBe(before - 150);
    // 50 of the pool go on a reward, redeemed from the household.
    const reward = await addReward(DEMO_MERCHANT_ID, 50, 5);
    const redeemed = await t.graphql(REDEEM, { r: reward, q: 1, key: randomUUID(), h: true }, token).expect(200);
    expect(redeemed.body.data.redeemReward).toMatchObject({ status: 'POSTED', points: 50, fromHousehold: true });
    expect(await pool(householdId)).toBe(100);

    const left = await t.graphql('mutation { leaveHousehold { id household { id } } }', {}, token).expect(200);
    expect(left.body.data.leaveHousehold.household).toBeNull();
    expect(await until(() => pool(householdId), (b) => b === 0)).toBe(0);
    expect((await account(user)).balance).toBe(before - 50);
    // One transaction on the member's statement, once, however often the event is delivered.
    const returned = await t.sql`SELECT count(*)::int AS n FROM ledger.transactions WHERE user_id = ${user} AND metadata->>'householdId' = ${householdId}`;
    expect(returned[0]!['n']).toBe(1);

    // The merchant cancels the redemption afterwards: its points follow the pool to the member.
    const cancel = 'mutation ($id: ID!) { cancelRedemption(redemptionId: $id, reason: "缺货") { status } }';
    const cancelled = await t.graphql(cancel, { id: redeemed.body.data.redeemReward.id }, fruitToken).expect(200);
    expect(cancelled.body.data.cancelRedemption.status).toBe('CANCELLED');
    expect(await pool(householdId)).toBe(0);
    expect((await account(user)).balance).toBe(before);
    await verifyClean();
  });
});

describe('recovery, expiry, fraud, settlement and tamper evidence', () => {
  it('finishes a redemption a crash left between hold and post', async () => {
    const user = await loneUser(5);
    const reward = await addReward(DEMO_MERCHANT_ID, 10, 10);
    const real = merchantsClient({ url: () => t.stack.subgraphUrls['merchants']!, signingSecret: secrets.signingSecret });
    // The merchants subgraph "crashes" after the hold: the reservation call never returns.
    const crashed: MerchantsService = { ...real, reserveStock: () => Promise.reject(new Error('connection reset')) };
    const held = await redeemReward({ db: ledgerDb(), merchants: crashed }, { role: 'consumer', sub: user, scopes: [] }, { rewardId: reward, quantity: 1, fromHousehold: false }, randomUUID());
    expect(held.status).toBe('HELD');
    const recovered = await recoverRedemptions({ db: ledgerDb(), merchants: real, policy: { purchaseWindowDays: 7, greenPointsPerOrderCap: 2000, compensationValidityDays: 365, holdRecoveryAfterMs: 0 } }, new Date(Date.now() + 1000));
    expect(recovered.resolved).toBe(1);
    expect((await t.sql`SELECT status, stock_state FROM ledger.redemptions WHERE id = ${held.id}`)[0]).toEqual({ status: 'POSTED', stock_state: 'CONFIRMED' });
    await verifyClean();
  });

  it('expires lapsed lots to breakage, once', async () => {
    const user = await loneUser(6);
    const bought = await t.graphql(RECORD, { input: { userId: user, merchantId: DEMO_MERCHANT_ID, amountMinor: 5_000 }, key: randomUUID() }, fruitToken).expect(200);
    const points = bought.body.data.recordPurchase.points as number;
    // Test setup: a year has passed for this lot.
    await t.sql`UPDATE ledger.lots SET expires_at = now() - interval '1 minute', available_at = now() - interval '2 minutes' WHERE transaction_id = (SELECT transaction_id FROM ledger.purchases WHERE id = ${bought.body.data.recordPurchase.id})`;
    const asOf = new Date().toISOString();
    const res = await t.graphql(`mutation ($asOf: DateTime!) { expirePoints(asOf: $asOf, idempotencyKey: "expire-test") { accounts points } }`, { asOf }, adminToken).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.expirePoints.points).toBeGreaterThanOrEqual(points);
    const again = await t.graphql(`mutation ($asOf: DateTime!) { expirePoints(asOf: $asOf, idempotencyKey: "expire-test") { accounts points } }`, { asOf }, adminToken).expect(200);
    expect(again.body.data.expirePoints).toEqual(res.body.data.expirePoints);
    const future = await t.graphql(`mutation { expirePoints(asOf: "2999-01-01T00:00:00Z", idempotencyKey: "x") { points } }`, {}, adminToken).expect(200);
    expect(future.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await verifyClean();
  });

  it('a frozen account still earns but cannot redeem; clawback needs a confirmed case; the user sees the case', async () => {
    const user = await loneUser(7);
    const open = await t.graphql(`mutation ($u: ID!) { openFraudCase(userId: $u, evidence: "Receipts 1001–1040 issued to one phone in 3 minutes", reason: "Points farming", freeze: true, idempotencyKey: "case-1") { id status frozen } }`, { u: user }, adminToken).expect(200);
    expect(open.body.errors).toBeUndefined();
    const caseId = open.body.data.openFraudCase.id;
    const token = await consumer(user);
    const mine = await t.graphql(`{ me { points { frozen fraudCases { status reason frozen } } } }`, {}, token).expect(200);
    expect(mine.body.data.me.points).toEqual({ frozen: true, fraudCases: [{ status: 'OPEN', reason: 'Points farming', frozen: true }] });
    const redeem = await t.graphql(REDEEM, { r: await addReward(DEMO_MERCHANT_ID, 1, 5), key: randomUUID() }, token).expect(200);
    expect(redeem.body.errors?.[0]?.extensions?.code).toBe('ACCOUNT_FROZEN');
    const earn = await t.graphql(RECORD, { input: { userId: user, merchantId: DEMO_MERCHANT_ID, amountMinor: 2_000 }, key: randomUUID() }, fruitToken).expect(200);
    expect(earn.body.errors).toBeUndefined();
    const early = await t.graphql(`mutation ($c: ID!) { clawback(caseId: $c, points: 10, reason: "farming", idempotencyKey: "cb-1") { points } }`, { c: caseId }, adminToken).expect(200);
    expect(early.body.errors?.[0]?.extensions?.code).toBe('CASE_NOT_CONFIRMED');
    const consumerTry = await t.graphql(`mutation ($c: ID!) { resolveFraudCase(caseId: $c, status: DISMISSED, reason: "mine", idempotencyKey: "r-0") { status } }`, { c: caseId }, token).expect(200);
    expect(consumerTry.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const RESOLVE = `mutation ($c: ID!, $s: FraudCaseResolution!, $k: ID!) { resolveFraudCase(caseId: $c, status: $s, reason: "evidence upheld", idempotencyKey: $k) { status frozen } }`;
    // A retried confirmation answers as the first did, with one audit line; another key finds the case already resolved.
    const confirmations = await Promise.all([1, 2, 3].map(() => t.graphql(RESOLVE, { c: caseId, s: 'CONFIRMED', k: 'r-1' }, adminToken).expect(200)));
    for (const c of confirmations) expect(c.body).toEqual({ data: { resolveFraudCase: { status: 'CONFIRMED', frozen: true } } });
    const conflict = await t.graphql(RESOLVE, { c: caseId, s: 'DISMISSED', k: 'r-1' }, adminToken).expect(200);
    expect(conflict.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_CONFLICT');
    const late = await t.graphql(RESOLVE, { c: caseId, s: 'DISMISSED', k: 'r-2' }, adminToken).expect(200);
    expect(late.body.errors?.[0]?.extensions?.code).toBe('CASE_NOT_CONFIRMED');
    const cb = await t.graphql(`mutation ($c: ID!) { clawback(caseId: $c, points: 10, reason: "farming", idempotencyKey: "cb-1") { points } }`, { c: caseId }, adminToken).expect(200);
    expect(cb.body.errors).toBeUndefined();
    expect(cb.body.data.clawback.points).toBe(10);
    const actions = (await t.sql`SELECT action, actor FROM ledger.audit_log WHERE case_id = ${caseId} ORDER BY id`).map((r) => r['action']);
    expect(actions).toEqual(['OPEN_CASE', 'CONFIRM_CASE', 'CLAWBACK']);
    // Unfreezing twice with one key: one audit line, one event.
    const UNFREEZE = `mutation ($c: ID!) { freezeAccount(caseId: $c, frozen: false, reason: "repaid", idempotencyKey: "u-1") { frozen } }`;
    for (let i = 0; i < 2; i++) expect((await t.graphql(UNFREEZE, { c: caseId }, adminToken).expect(200)).body).toEqual({ data: { freezeAccount: { frozen: false } } });
    expect((await t.sql`SELECT count(*)::int AS n FROM ledger.audit_log WHERE case_id = ${caseId} AND action = 'UNFREEZE'`)[0]!['n']).toBe(1);
    expect((await t.sql`SELECT count(*)::int AS n FROM ledger.outbox WHERE type = 'AccountFrozen' AND payload->>'caseId' = ${caseId}`)[0]!['n']).toBe(2);
    await verifyClean();
  });

  it('settles a closed month so that the net positions sum to zero, once', async () => {
    const last = new Date();
    last.setUTCMonth(last.getUTCMonth() - 1);
    const period = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
    const q = `mutation ($p: String!) { settle(period: $p) { party issuedPoints redeemedPoints netMinor } }`;
    const res = await t.graphql(q, { p: period }, adminToken).expect(200);
    expect(res.body.errors).toBeUndefined();
    const rows = res.body.data.settle as { party: string; issuedPoints: number; netMinor: number }[];
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.reduce((s, r) => s + r.netMinor, 0)).toBe(0);
    expect((await t.graphql(q, { p: period }, adminToken)).body.data.settle).toEqual(rows);
    const open = await t.graphql(q, { p: '2999-01' }, adminToken).expect(200);
    expect(open.body.errors?.[0]?.extensions?.code).toBe('PERIOD_NOT_CLOSED');
  });

  it('detects an altered posting: the hash chain breaks and balances disagree', async () => {
    await verifyClean();
    // An attacker with superuser rights bypasses the append-only triggers and edits history.
    await t.sql.begin(async (sql) => {
      await sql`SET LOCAL session_replication_role = replica`;
      await sql`UPDATE ledger.postings SET amount = amount + 1000 WHERE id = (SELECT p.id FROM ledger.postings p JOIN ledger.transactions tr ON tr.id = p.transaction_id JOIN ledger.operations o ON o.id = tr.operation_id WHERE o.seq IS NOT NULL AND p.amount > 0 ORDER BY p.id DESC LIMIT 1)`;
    });
    const report = await verifyLedger(ledgerDb());
    expect(report.ok).toBe(false);
    expect(report.chain.brokenAt).not.toBeNull();
    // And the ordinary path cannot edit posted history at all.
    await expect(t.sql`UPDATE ledger.postings SET amount = amount WHERE id = (SELECT min(id) FROM ledger.postings)`).rejects.toThrow(/append-only/);
  });
});
