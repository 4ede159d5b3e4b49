// Proves every analytics figure equals the same figure computed in SQL from the subgraphs' tables, that groups under k are suppressed with no way back through totals, that only analysts and admins get in, and that no analytics type holds personal data.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_CONSUMER_ID, DEMO_MERCHANT_ID, servicePrincipal, signRequest, type Principal } from '@greenpoints/common';
import { buildSchema, getNamedType, isObjectType, type GraphQLNamedType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/eventsDb.ts';
import { keptRecords } from '../helpers/greenCells.ts';
import { secrets, startTestStack, type TestStack } from '../helpers/stack.ts';

const K = 5;
const FIGURES = 'suppressed members transactions points';
const FLOW = `transactionType asset total { ${FIGURES} } byMerchant { merchant { id } category ${FIGURES} } byCategory { category ${FIGURES} } byMonth { month ${FIGURES} }`;
const IMPACT = 'suppressed members records co2eGrams waterLitres plasticGrams greenPoints';
const ANALYTICS = `{ analytics {
  scope asOf minGroupSize
  issuance { ${FLOW} } greenIssuance: issuance(asset: GREEN_POINTS) { ${FLOW} }
  refunds { ${FLOW} } redemption { ${FLOW} } cancellations { ${FLOW} } breakage { ${FLOW} } greenActivities { ${FLOW} }
  outstanding { asset suppressed members points }
  membersByTier { suppressed activeMembers byTier { tier suppressed members } }
  budgets { merchant { id } asset funded suppressed members used remaining usedShare }
  greenImpact { minGroupSize total { ${IMPACT} } byCategory { category ${IMPACT} } byMonth { month ${IMPACT} } }
} }`;

type Figures = { suppressed: boolean; members: number | null; transactions: number | null; points: number | null };
type Row = Figures & { merchant?: { id: string } | null; category?: string | null; month?: string };
type Flow = { transactionType: string; asset: string; total: Figures; byMerchant: Row[]; byCategory: Row[]; byMonth: Row[] };

let t: TestStack;
let analyst: string;

const codesOf = (body: { errors?: { extensions: { code: string } }[] }) => (body.errors ?? []).map((e) => e.extensions.code);

async function analytics(token = analyst) {
  const res = await t.graphql(ANALYTICS, {}, token).expect(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.analytics;
}

/** Seeded users with a POINTS account, in a fixed order, for made-up transactions below. */
let members: { id: string; accountId: string }[] = [];
const accountFor = async (kind: string, owner: string) => {
  const [found] = await t.sql`SELECT id FROM ledger.accounts WHERE kind = ${kind} AND owner_id = ${owner} AND asset = 'POINTS'`;
  if (found) return found['id'] as string;
  const id = randomUUID();
  await t.sql`INSERT INTO ledger.accounts (id, kind, owner_id, asset, balance) VALUES (${id}, ${kind}, ${owner}, 'POINTS', 0)`;
  return id;
};

/**
 * One balanced transaction of a type the ledger's operations do not write yet (refunds, redemptions,
 * cancellations, expiry are being built), as those operations will: the member's account on one side.
 */
async function post(type: string, member: { id: string; accountId: string }, merchantId: string | null, counterKind: string, memberAmount: number, at: string) {
  const id = randomUUID();
  const counter = await accountFor(counterKind, merchantId ?? 'alliance');
  await t.sql`INSERT INTO ledger.transactions (id, type, idempotency_key, user_id, merchant_id, description, created_at)
    VALUES (${id}, ${type}, ${`test:${id}`}, ${member.id}, ${merchantId}, 'test', ${at})`;
  await t.sql`INSERT INTO ledger.postings (transaction_id, account_id, asset, amount) VALUES
    (${id}, ${member.accountId}, 'POINTS', ${memberAmount}), (${id}, ${counter}, 'POINTS', ${-memberAmount})`;
  await t.sql`UPDATE ledger.accounts SET balance = balance + ${memberAmount} WHERE id = ${member.accountId}`;
  await t.sql`UPDATE ledger.accounts SET balance = balance - ${memberAmount} WHERE id = ${counter}`;
}

const merchantIds = async () => (await t.sql`SELECT merchant_id, category FROM ledger.merchant_copies ORDER BY category`).map((r) => ({ id: r['merchant_id'] as string, category: r['category'] as string }));

beforeAll(async () => {
  // The relay runs: the ledger learns a merchant's new category from its event (the last test).
  t = await startTestStack();
  analyst = await t.token({ role: 'analyst', sub: 'analyst-1' });
  members = (
    await t.sql`SELECT owner_id, id FROM ledger.accounts WHERE kind = 'USER' AND asset = 'POINTS' AND owner_id <> ${DEMO_CONSUMER_ID} ORDER BY owner_id LIMIT 30`
  ).map((r) => ({ id: r['owner_id'] as string, accountId: r['id'] as string }));
});
afterAll(() => t?.stop());

/**
 * Net change of members' accounts (user accounts, household pools, points on hold) per group of one
 * type and asset, straight from the tables, one level at a time.
 */
async function sqlFlow(type: string, asset: string, group: 'merchant' | 'category' | 'month' | 'total') {
  const key = { merchant: t.sql`t.merchant_id::text`, category: t.sql`c.category`, month: t.sql`to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM')`, total: t.sql`'all'` }[group];
  const rows = await t.sql`
    SELECT ${key} AS key, sum(p.amount)::bigint AS amount, count(DISTINCT t.id)::int AS transactions,
           count(DISTINCT CASE WHEN a.kind IN ('USER', 'HOLD') THEN a.owner_id ELSE t.user_id::text END)::int AS people
      FROM ledger.postings p JOIN ledger.accounts a ON a.id = p.account_id JOIN ledger.transactions t ON t.id = p.transaction_id
      LEFT JOIN ledger.merchant_copies c ON c.merchant_id = t.merchant_id
     WHERE a.kind IN ('USER', 'HOUSEHOLD_POOL', 'HOLD') AND t.type = ${type} AND p.asset = ${asset}
     GROUP BY 1`;
  return new Map(rows.map((r) => [(r['key'] as string | null) ?? '', { amount: Number(r['amount']), transactions: r['transactions'] as number, people: r['people'] as number }]));
}

/**
 * Every row of a breakdown against SQL: same groups; a shown row equals SQL and is behind k people
 * or more; a group under k is suppressed; and what the totals reveal (total minus shown rows) is
 * behind at least one hidden group of k people or more.
 */
function checkBreakdown(rows: Row[], expected: Awaited<ReturnType<typeof sqlFlow>>, keyOf: (r: Row) => string, sign: number, total: Figures) {
  expect(new Set(rows.map(keyOf))).toEqual(new Set(expected.keys()));
  for (const row of rows) {
    const sql = expected.get(keyOf(row))!;
    if (sql.people < K) expect(row.suppressed, `${keyOf(row)} has ${sql.people} people`).toBe(true);
    if (row.suppressed) expect([row.members, row.transactions, row.points]).toEqual([null, null, null]);
    else expect({ members: row.members, transactions: row.transactions, points: row.points }).toEqual({ members: sql.people, transactions: sql.transactions, points: sign * sql.amount });
  }
  const hidden = rows.filter((r) => r.suppressed).map((r) => expected.get(keyOf(r))!);
  if (hidden.length > 0 && !total.suppressed) expect(hidden.some((h) => h.people >= K), 'the hidden remainder holds a group of k people').toBe(true);
}

const FLOWS = { issuance: ['PURCHASE_EARN', 1], refunds: ['REFUND', -1], redemption: ['REDEMPTION_POST', -1], cancellations: ['REDEMPTION_CANCEL', 1], breakage: ['EXPIRY', -1], greenActivities: ['GREEN_ACTIVITY', 1] } as const;

async function checkFlow(flow: Flow, type: string, sign: number) {
  const total = (await sqlFlow(type, flow.asset, 'total')).get('all');
  expect(flow.transactionType).toBe(type);
  if (!total) {
    expect(flow.total).toEqual({ suppressed: false, members: 0, transactions: 0, points: 0 });
    expect([flow.byMerchant, flow.byCategory, flow.byMonth]).toEqual([[], [], []]);
    return;
  }
  if (total.people < K) expect(flow.total.suppressed).toBe(true);
  if (!flow.total.suppressed) expect(flow.total).toEqual({ suppressed: false, members: total.people, transactions: total.transactions, points: sign * total.amount });
  checkBreakdown(flow.byMerchant, await sqlFlow(type, flow.asset, 'merchant'), (r) => r.merchant?.id ?? '', sign, flow.total);
  checkBreakdown(flow.byCategory, await sqlFlow(type, flow.asset, 'category'), (r) => r.category ?? '', sign, flow.total);
  checkBreakdown(flow.byMonth, await sqlFlow(type, flow.asset, 'month'), (r) => r.month ?? '', sign, flow.total);
}

async function checkAllFlows(a: Record<string, Flow>) {
  for (const [name, [type, sign]] of Object.entries(FLOWS)) await checkFlow(a[name]!, type, sign);
  await checkFlow(a['greenIssuance']!, 'PURCHASE_EARN', 1);
}

describe('analytics equal SQL over the seeded ledger', () => {
  it('issuance by merchant, category and month, in points and green points', async () => {
    const a = await analytics();
    expect(a.scope).toBe('alliance');
    expect(a.minGroupSize).toBe(K);
    expect(a.issuance.byMerchant.filter((r: Row) => !r.suppressed).length).toBeGreaterThan(3);
    expect(a.issuance.byMonth.filter((r: Row) => !r.suppressed).length).toBeGreaterThan(6);
    await checkAllFlows(a);
  });

  it('outstanding points per asset: the members’ balances, which equal their postings', async () => {
    const a = await analytics();
    const rows = await t.sql`
      SELECT a.asset, sum(a.balance)::bigint AS points, (SELECT sum(p.amount) FROM ledger.postings p JOIN ledger.accounts b ON b.id = p.account_id
               WHERE b.kind IN ('USER', 'HOUSEHOLD_POOL', 'HOLD') AND b.asset = a.asset)::bigint AS posted,
             count(DISTINCT a.owner_id) FILTER (WHERE a.kind IN ('USER', 'HOLD') AND a.balance <> 0)::int AS people
        FROM ledger.accounts a WHERE a.kind IN ('USER', 'HOUSEHOLD_POOL', 'HOLD') GROUP BY a.asset ORDER BY a.asset`;
    expect(rows.length).toBe(2);
    for (const r of rows) {
      expect(Number(r['points'])).toBe(Number(r['posted']));
      expect(a.outstanding).toContainEqual({ asset: r['asset'], suppressed: false, members: r['people'], points: Number(r['points']) });
    }
  });

  it('budget use per merchant: funded, used and remaining, remaining being the budget account’s balance', async () => {
    const a = await analytics();
    const rows = await t.sql`
      SELECT a.owner_id, a.asset, a.balance::bigint AS balance,
             sum(p.amount) FILTER (WHERE t.type = 'BUDGET_FUNDING')::bigint AS funded,
             count(DISTINCT t.user_id) FILTER (WHERE t.type <> 'BUDGET_FUNDING')::int AS people
        FROM ledger.accounts a JOIN ledger.postings p ON p.account_id = a.id JOIN ledger.transactions t ON t.id = p.transaction_id
       WHERE a.kind = 'MERCHANT_ISSUANCE' GROUP BY a.owner_id, a.asset, a.balance`;
    expect(a.budgets.length).toBe(rows.length);
    for (const r of rows) {
      const funded = Number(r['funded']);
      const balance = Number(r['balance']);
      const row = a.budgets.find((b: { merchant: { id: string }; asset: string }) => b.merchant.id === r['owner_id'] && b.asset === r['asset']);
      expect(row.funded).toBe(funded);
      expect(row.suppressed).toBe(false);
      expect(row).toMatchObject({ members: r['people'], used: funded - balance, remaining: balance });
      expect(row.usedShare).toBeCloseTo((funded - balance) / funded, 12);
      expect(row.used).toBeLessThanOrEqual(row.funded);
    }
  });

  it('active members by tier, from trailing-12-month spend with the tier thresholds', async () => {
    const a = await analytics();
    const rows = await t.sql`
      WITH s AS (SELECT user_id, sum(amount_minor - refunded_minor) AS spend FROM ledger.purchases WHERE occurred_at >= now() - interval '365 days' GROUP BY user_id)
      SELECT CASE WHEN spend >= 2000000 THEN 'FOREST' WHEN spend >= 500000 THEN 'TREE' WHEN spend >= 100000 THEN 'SPROUT' ELSE 'SEED' END AS tier, count(*)::int AS people
        FROM s GROUP BY 1`;
    const counts = new Map(rows.map((r) => [r['tier'] as string, r['people'] as number]));
    const total = [...counts.values()].reduce((s, n) => s + n, 0);
    expect(a.membersByTier.activeMembers).toBe(total);
    expect(a.membersByTier.byTier.map((r: { tier: string }) => r.tier)).toEqual(['SEED', 'SPROUT', 'TREE', 'FOREST']);
    for (const row of a.membersByTier.byTier) {
      const n = counts.get(row.tier) ?? 0;
      if (n > 0 && n < K) expect(row.suppressed).toBe(true);
      if (!row.suppressed) expect(row.members).toBe(n);
    }
    if (a.membersByTier.byTier.some((r: { suppressed: boolean }) => r.suppressed)) {
      expect(a.membersByTier.byTier.some((r: { suppressed: boolean; tier: string }) => r.suppressed && (counts.get(r.tier) ?? 0) >= K)).toBe(true);
    }
  });

  it('green impact by category and month (green-impact answers its part of the entity)', async () => {
    const g = (await analytics()).greenImpact;
    expect(g.minGroupSize).toBe(K);
    // As the reports over many people: months of recording, published ones only (a day after they
    // end), summed from month × category cells of at least k people.
    const yesterday = new Date(Date.now() - 86_400_000);
    const until = new Date(Date.UTC(yesterday.getUTCFullYear(), yesterday.getUTCMonth(), 1));
    const level = async (key: 'category' | 'month' | 'total') => {
      const expr = { category: t.sql`r.c`, month: t.sql`r.m`, total: t.sql`'all'` }[key];
      // A cell whose rest beyond its merchants' cells of k or more is 1 to k-1 people keeps those merchants' part only.
      const rows = await t.sql`
        ${keptRecords(t.sql, { at: 'recorded_at', from: new Date(0), to: until, k: K })}
        SELECT ${expr} AS key, count(DISTINCT user_id)::int AS members, count(*)::int AS records, sum(co2e_grams)::bigint AS co2e,
        sum(water_litres)::bigint AS water, sum(plastic_grams)::bigint AS plastic, sum(green_points)::bigint AS points FROM kept r GROUP BY 1`;
      return new Map(rows.map((r) => [r['key'] as string, { members: r['members'], records: r['records'], co2eGrams: Number(r['co2e']), waterLitres: Number(r['water']), plasticGrams: Number(r['plastic']), greenPoints: Number(r['points']) }]));
    };
    const total = (await level('total')).get('all')!;
    expect(total.records).toBeGreaterThan(0);
    expect(g.total).toEqual({ suppressed: false, ...total });
    for (const [rows, key] of [[g.byCategory, 'category'], [g.byMonth, 'month']] as const) {
      const expected = await level(key);
      expect(new Set(rows.map((r: Record<string, unknown>) => r[key]))).toEqual(new Set(expected.keys()));
      for (const row of rows as (Record<string, unknown> & { suppressed: boolean })[]) {
        const sql = expected.get(row[key] as string)!;
        if ((sql.members as number) < K) expect(row.suppressed).toBe(true);
        if (!row.suppressed) expect(row).toEqual({ [key]: row[key], suppressed: false, ...sql });
      }
    }
  });
});

describe('green activities', () => {
  it('counts green points issued for green activities once the ledger has credited them', async () => {
    const admin = await t.token({ role: 'admin', sub: 'admin-1' });
    for (const m of members.slice(0, 6)) {
      const res = await t.graphql('mutation ($u: ID!, $k: ID!) { recordGreenActivity(input: { userId: $u, kind: SURVEY }, idempotencyKey: $k) { id } }', { u: m.id, k: `analytics-${m.id}` }, admin).expect(200);
      expect(res.body.errors).toBeUndefined();
    }
    const credited = async () => Number((await t.sql`SELECT count(*) AS n FROM ledger.postings p JOIN ledger.transactions t ON t.id = p.transaction_id WHERE t.type = 'GREEN_ACTIVITY'`)[0]!['n']);
    await until(async () => (await credited()) === 12, 20_000, 'six credited green activities');
    const a = await analytics();
    expect(a.greenActivities.total).toMatchObject({ suppressed: false, members: 6, transactions: 6 });
    expect(a.greenActivities.asset).toBe('GREEN_POINTS');
    await checkAllFlows(a);
  });
});

describe('k-anonymity', () => {
  /** A cheap reward at a merchant, in stock, so that redemptions go through the ledger's saga. */
  async function addReward(merchantId: string) {
    const id = randomUUID();
    await t.sql`INSERT INTO merchants.rewards (id, merchant_id, title, kind, points_cost, stock, valid_from, terms)
      VALUES (${id}, ${merchantId}, 'Analytics test reward', 'GOODS', 10, 100, ${new Date(Date.now() - 86_400_000)}, 'Terms.')`;
    return id;
  }
  const redeem = async (userId: string, rewardId: string) => {
    const res = await t.graphql('mutation ($r: ID!, $k: ID!) { redeemReward(rewardId: $r, idempotencyKey: $k) { id status } }', { r: rewardId, k: randomUUID() }, await t.token({ role: 'consumer', sub: userId })).expect(200);
    expect(res.body.errors, userId).toBeUndefined();
    expect(res.body.data.redeemReward.status).toBe('POSTED');
    return res.body.data.redeemReward.id as string;
  };

  it('suppresses a merchant and a category with fewer than k redeemers, a second one with them, and a whole flow under k', async () => {
    // Three merchants other than the demo one (whose refunds come below), each its own category.
    const merchants = (await merchantIds()).filter((m) => m.id !== DEMO_MERCHANT_ID);
    const [few, six, eight] = merchants as [{ id: string; category: string }, { id: string; category: string }, { id: string; category: string }];
    // Members with spendable points (the saga holds them first-expiring-first).
    const rich = (
      await t.sql`SELECT a.owner_id FROM ledger.accounts a JOIN ledger.lots l ON l.account_id = a.id
        WHERE a.kind = 'USER' AND a.asset = 'POINTS' AND l.available_at <= now() AND l.expires_at > now()
        GROUP BY a.owner_id HAVING sum(l.remaining) >= 100 ORDER BY a.owner_id LIMIT 8`
    ).map((r) => r['owner_id'] as string);
    expect(rich.length).toBe(8);
    // Redemptions through the ledger: 2 people at one merchant, 6 at another, 8 at a third.
    const redemptions: string[] = [];
    for (const [merchant, people] of [[few, 2], [six, 6], [eight, 8]] as const) {
      const reward = await addReward(merchant.id);
      for (const userId of rich.slice(0, people)) redemptions.push(await redeem(userId, reward));
    }
    // One cancellation (at the third merchant), by an admin.
    const admin = await t.token({ role: 'admin', sub: 'admin-1' });
    const cancel = await t.graphql('mutation ($id: ID!) { cancelRedemption(redemptionId: $id, reason: "test") { status } }', { id: redemptions.at(-1) }, admin).expect(200);
    expect(cancel.body.errors).toBeUndefined();
    // Refunds of three people's purchases at the demo merchant: the whole flow is under k.
    const refunded = await t.sql`SELECT DISTINCT ON (user_id) id FROM ledger.purchases WHERE merchant_id = ${DEMO_MERCHANT_ID} AND green_points = 0 ORDER BY user_id LIMIT 3`;
    const merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
    for (const p of refunded) {
      const res = await t.graphql('mutation ($p: ID!, $k: ID!) { refundPurchase(purchaseId: $p, idempotencyKey: $k) { status } }', { p: p['id'], k: randomUUID() }, merchant).expect(200);
      expect(res.body.errors).toBeUndefined();
    }
    // Expiry of six people (the ledger's expiry run needs lots past their date; these are written as it writes them).
    for (const m of members.slice(20, 26)) await post('EXPIRY', m, null, 'BREAKAGE', -10, '2021-04-01T00:00:00Z');

    const a = await analytics();
    const month = new Date().toISOString().slice(0, 7);
    const row = (flow: Flow, id: string) => flow.byMerchant.find((r) => r.merchant?.id === id)!;
    expect(row(a.redemption, few.id)).toEqual({ merchant: { id: few.id }, category: few.category, suppressed: true, members: null, transactions: null, points: null });
    // The smallest group of k or more goes with it, so total minus what is shown covers 2 + 6 people.
    expect(row(a.redemption, six.id).suppressed).toBe(true);
    expect(row(a.redemption, eight.id)).toMatchObject({ suppressed: false, members: 8, transactions: 8, points: 80 });
    expect(a.redemption.total).toEqual({ suppressed: false, members: 8, transactions: 16, points: 160 });
    expect(a.redemption.byCategory.filter((r: Row) => r.suppressed).map((r: Row) => r.category).sort()).toEqual([few.category, six.category].sort());
    expect(a.redemption.byMonth).toEqual([{ month, suppressed: false, members: 8, transactions: 16, points: 160 }]);
    // One cancellation, three refunders: nothing of those flows is shown, not even the totals.
    for (const flow of [a.cancellations, a.refunds]) {
      expect(flow.total).toEqual({ suppressed: true, members: null, transactions: null, points: null });
      expect([...flow.byMerchant, ...flow.byCategory, ...flow.byMonth].every((r: Row) => r.suppressed)).toBe(true);
    }
    // ...and since held points are the sum of all flows, they would reveal them: suppressed too.
    expect(a.outstanding.find((o: { asset: string }) => o.asset === 'POINTS')).toEqual({ asset: 'POINTS', suppressed: true, members: null, points: null });
    // ...as is the refunded merchant's budget use (its issuance less its refunds). Funding stays shown.
    const budget = a.budgets.find((b: { merchant: { id: string }; asset: string }) => b.merchant.id === DEMO_MERCHANT_ID && b.asset === 'POINTS');
    // Funded: every BUDGET_FUNDING posting into it (the seed funds its initial block and its history).
    const [funding] = await t.sql`SELECT coalesce(sum(p.amount), 0)::bigint AS funded FROM ledger.postings p
      JOIN ledger.transactions tx ON tx.id = p.transaction_id JOIN ledger.accounts acc ON acc.id = p.account_id
      WHERE tx.type = 'BUDGET_FUNDING' AND acc.kind = 'MERCHANT_ISSUANCE' AND acc.owner_id = ${DEMO_MERCHANT_ID} AND acc.asset = 'POINTS'`;
    expect(Number(funding!['funded'])).toBeGreaterThan(5_000_000);
    expect(budget).toMatchObject({ suppressed: true, members: null, used: null, remaining: null, usedShare: null, funded: Number(funding!['funded']) });
    // Breakage: 6 people's expiry, at no merchant.
    expect(a.breakage.total).toEqual({ suppressed: false, members: 6, transactions: 6, points: 60 });
    expect(a.breakage.byMerchant).toEqual([{ merchant: null, category: null, suppressed: false, members: 6, transactions: 6, points: 60 }]);
    await checkAllFlows(a);
  });
});

describe('categories follow the merchants', () => {
  it('counts a merchant under its new category once the ledger has its MerchantProfileUpdated', async () => {
    const admin = await t.token({ role: 'admin', sub: 'admin-1' });
    const id = (await t.sql`SELECT merchant_id FROM ledger.merchant_copies WHERE category = 'SUPERMARKET'`)[0]!['merchant_id'] as string;
    const res = await t.graphql('mutation ($id: ID!) { updateMerchantProfile(merchantId: $id, input: { category: RETAIL }) { category } }', { id }, admin).expect(200);
    expect(res.body.data.updateMerchantProfile.category).toBe('RETAIL');
    await until(async () => (await t.sql`SELECT category FROM ledger.merchant_copies WHERE merchant_id = ${id}`)[0]!['category'] === 'RETAIL', 20_000, 'the category in the ledger');
    const a = await analytics();
    const categories = a.issuance.byCategory.map((r: Row) => r.category);
    expect(categories).toContain('RETAIL');
    expect(categories).not.toContain('SUPERMARKET');
    expect(a.issuance.byMerchant.find((r: Row) => r.merchant?.id === id).category).toBe('RETAIL');
    await checkAllFlows(a);
  });
});

describe('who may read analytics', () => {
  it('refuses consumers, merchants, auditors and the anonymous at the gateway; partners do not see the field at all', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'UNAUTHENTICATED'],
      [await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID }), 'FORBIDDEN'],
      [await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID, scope: 'role:analyst' }), 'FORBIDDEN'],
      [await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID }), 'FORBIDDEN'],
      [await t.token({ role: 'auditor', sub: 'auditor-1' }), 'FORBIDDEN'],
      [await t.token({ role: 'partner', partnerId: 'acme' }), 'GRAPHQL_VALIDATION_FAILED'],
    ];
    for (const [token, code] of cases) {
      const res = await t.graphql('{ analytics { scope issuance { total { points } } } }', {}, token);
      expect(codesOf(res.body), code).toEqual([code]);
      expect(res.body.data?.analytics ?? null).toBeNull();
    }
    const admin = await t.graphql('{ analytics { scope } }', {}, await t.token({ role: 'admin', sub: 'admin-1' })).expect(200);
    expect(admin.body.data.analytics.scope).toBe('alliance');
  });

  it('is refused by the ledger and green-impact themselves to any principal but an analyst or admin', async () => {
    const direct = async (subgraph: string, query: string, principal: Principal) => {
      const body = JSON.stringify({ query });
      const res = await fetch(t.stack.subgraphUrls[subgraph]!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signRequest({ principal, subgraph, body }, secrets.signingSecret) },
        body,
      });
      return (await res.json()) as { data?: unknown; errors?: { extensions: { code: string } }[] };
    };
    const entity = '{ _entities(representations: [{ __typename: "Analytics", scope: "alliance" }]) { ... on Analytics { greenImpact { total { records } } } } }';
    for (const principal of [{ role: 'consumer', sub: DEMO_CONSUMER_ID, scopes: [] }, { role: 'partner', partnerId: 'p', scopes: [] }, servicePrincipal('users')] as Principal[]) {
      expect(codesOf(await direct('ledger', '{ analytics { scope } }', principal))).toEqual(['FORBIDDEN']);
      expect(codesOf(await direct('green-impact', entity, principal))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await direct('green-impact', entity, { role: 'analyst', sub: 'a', scopes: [] }))).toEqual([]);
  });
});

/** Words of a field name (camelCase) that would name a person or something about one. */
const PERSONAL_WORDS = /^(users?|person|people|name|phone|age|birth|household|email|sub)$/;

describe('no personal data', () => {
  it('holds no person, user id, name, phone or age in any type reachable from Analytics', () => {
    const api = buildSchema(readFileSync(fileURLToPath(new URL('../../schema/api.graphql', import.meta.url)), 'utf8'));
    const seen = new Set<string>();
    // Merchant and the enums are shared public types, not analytics' own: the walk stops there.
    const walk = (type: GraphQLNamedType) => {
      if (seen.has(type.name) || !isObjectType(type) || type.name === 'Merchant') return;
      seen.add(type.name);
      for (const field of Object.values(type.getFields())) {
        const words = field.name.split(/(?=[A-Z])/).map((w) => w.toLowerCase());
        expect(words.filter((w) => PERSONAL_WORDS.test(w)), `${type.name}.${field.name}`).toEqual([]);
        expect(['User', 'Household', 'DataExport', 'Transaction', 'Purchase', 'PointsAccount'], `${type.name}.${field.name}`).not.toContain(getNamedType(field.type).name);
        walk(getNamedType(field.type));
      }
    };
    walk(api.getType('Analytics')!);
    expect(seen.size).toBeGreaterThan(10);
  });
});

describe('settlement positions', () => {
  const POSITIONS = '{ analytics { settlementPositions { month merchant { id } settled suppressed members issuedPoints redeemedPoints netPoints } } }';
  type Position = {
    month: string; merchant: { id: string }; settled: boolean; suppressed: boolean;
    members: number | null; issuedPoints: number | null; redeemedPoints: number | null; netPoints: number | null;
  };
  const openMonth = () => new Date().toISOString().slice(0, 7);
  const monthsAgo = (n: number) => {
    const d = new Date();
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 15)).toISOString();
  };

  async function positions(): Promise<Position[]> {
    const res = await t.graphql(POSITIONS, {}, analyst).expect(200);
    expect(res.body.errors).toBeUndefined();
    return res.body.data.analytics.settlementPositions;
  }

  /**
   * Each merchant's settlement flows per UTC month, straight from the postings, as `settle` groups
   * them, and each merchant's and month's totals ('' for the other key). A transaction's person is
   * its user, or the member whose account it moved.
   */
  async function sqlCells() {
    const rows = await t.sql`
      WITH f AS (
        SELECT a.owner_id AS merchant, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, a.kind, p.amount,
               coalesce(t.user_id::text, (SELECT min(b.owner_id) FROM ledger.postings q JOIN ledger.accounts b ON b.id = q.account_id
                                           WHERE q.transaction_id = t.id AND b.kind IN ('USER', 'HOLD'))) AS person
          FROM ledger.postings p JOIN ledger.accounts a ON a.id = p.account_id JOIN ledger.transactions t ON t.id = p.transaction_id
         WHERE p.asset = 'POINTS' AND t.type <> 'BUDGET_FUNDING' AND a.kind IN ('MERCHANT_ISSUANCE', 'MERCHANT_REDEMPTION'))
      SELECT coalesce(f.month, '') AS month, coalesce(f.merchant, '') AS merchant,
             coalesce(-sum(f.amount) FILTER (WHERE f.kind = 'MERCHANT_ISSUANCE'), 0)::bigint AS issued,
             coalesce(sum(f.amount) FILTER (WHERE f.kind = 'MERCHANT_REDEMPTION'), 0)::bigint AS redeemed,
             count(*) FILTER (WHERE f.kind = 'MERCHANT_ISSUANCE')::int AS issuance_postings,
             count(*) FILTER (WHERE f.kind = 'MERCHANT_REDEMPTION')::int AS redemption_postings,
             count(DISTINCT f.person) FILTER (WHERE f.kind = 'MERCHANT_ISSUANCE')::int AS issuers,
             count(DISTINCT f.person) FILTER (WHERE f.kind = 'MERCHANT_REDEMPTION')::int AS redeemers,
             count(DISTINCT f.person)::int AS people
        FROM f
       GROUP BY GROUPING SETS ((f.month, f.merchant), (f.merchant), (f.month))`;
    return new Map(
      rows.map((r) => [
        `${r['month']}|${r['merchant']}`,
        {
          issued: Number(r['issued']),
          redeemed: Number(r['redeemed']),
          issuers: r['issuance_postings'] ? (r['issuers'] as number) : null,
          redeemers: r['redemption_postings'] ? (r['redeemers'] as number) : null,
          people: r['people'] as number,
        },
      ]),
    );
  }

  /** Every closed month of every merchant is listed; shown figures equal SQL; a side behind fewer than k people is suppressed. */
  async function checkPositions(list: Position[]) {
    const all = await sqlCells();
    const cells = new Map([...all].filter(([key]) => !key.startsWith('|') && !key.endsWith('|')));
    const closed = [...cells.keys()].filter((key) => key < openMonth());
    expect(list.map((p) => `${p.month}|${p.merchant.id}`)).toEqual(closed.sort());
    const small = (n: number | null) => n !== null && n < K;
    for (const p of list) {
      const sql = cells.get(`${p.month}|${p.merchant.id}`)!;
      // Each side is shown (and equal to SQL) or suppressed by its own people; net and members need both.
      if (small(sql.issuers)) expect(p.issuedPoints, `${p.month} ${p.merchant.id} issued`).toBeNull();
      if (small(sql.redeemers)) expect(p.redeemedPoints, `${p.month} ${p.merchant.id} redeemed`).toBeNull();
      if (p.issuedPoints !== null) expect(p.issuedPoints).toBe(sql.issued);
      if (p.redeemedPoints !== null) expect(p.redeemedPoints).toBe(sql.redeemed);
      expect(p.suppressed).toBe(p.issuedPoints === null || p.redeemedPoints === null);
      if (p.suppressed) expect([p.members, p.netPoints]).toEqual([null, null]);
      else expect({ members: p.members, netPoints: p.netPoints }).toEqual({ members: sql.people, netPoints: sql.issued - sql.redeemed });
    }
    // A merchant or month whose total other figures publish (k people or more on that side) never
    // has a small cell hidden alone in it, counting the month still open, which is never shown.
    for (const [side, field] of [['issuers', 'issuedPoints'], ['redeemers', 'redeemedPoints']] as const) {
      const hidden = [...cells.keys()].filter((key) => key >= openMonth() || list.find((p) => `${p.month}|${p.merchant.id}` === key)?.[field] === null);
      for (const [part, name] of [[0, 'month'], [1, 'merchant']] as const) {
        const lineOf = (key: string) => key.split('|')[part]!;
        for (const line of new Set(hidden.map(lineOf))) {
          const mine = hidden.filter((key) => lineOf(key) === line);
          const total = all.get(part === 0 ? `${line}|` : `|${line}`)!;
          if (mine.length === 1 && small(cells.get(mine[0]!)![side]) && !small(total[side])) throw new Error(`${name} ${line}: all but one small ${side} cell of a published total shown`);
        }
      }
    }
    return cells;
  }

  it('equal settle’s figures computed in SQL from the postings, per merchant and closed month, the open month withheld', async () => {
    const list = await positions();
    expect(list.some((p) => p.month === openMonth())).toBe(false);
    expect(list.filter((p) => !p.suppressed).length).toBeGreaterThan(list.length / 2);
    await checkPositions(list);
  });

  it('suppress a month’s redemptions at a merchant behind fewer than k redeemers, and agree with settle once it has run', async () => {
    // Redemptions posted two months ago (as the ledger posts them: the member's points to the
    // merchant's redemption account): 2 people at one merchant, 7 at another.
    const at = monthsAgo(2);
    const [few, seven] = (await merchantIds()).filter((m) => m.id !== DEMO_MERCHANT_ID);
    for (const m of members.slice(0, 2)) await post('REDEMPTION_POST', m, few!.id, 'MERCHANT_REDEMPTION', -10, at);
    for (const m of members.slice(2, 9)) await post('REDEMPTION_POST', m, seven!.id, 'MERCHANT_REDEMPTION', -10, at);
    const month = at.slice(0, 7);
    let list = await positions();
    expect(list.find((p) => p.month === month && p.merchant.id === few!.id)!.suppressed).toBe(true);
    await checkPositions(list);

    // settle writes the same figures for that month, and the positions say it is settled.
    const admin = await t.token({ role: 'admin', sub: 'admin-1' });
    const res = await t.graphql('mutation ($p: String!) { settle(period: $p) { party issuedPoints redeemedPoints } }', { p: month }, admin).expect(200);
    expect(res.body.errors).toBeUndefined();
    list = await positions();
    const settled = res.body.data.settle as { party: string; issuedPoints: number; redeemedPoints: number }[];
    for (const p of list.filter((p) => p.month === month)) {
      expect(p.settled).toBe(true);
      const row = settled.find((s) => s.party === p.merchant.id)!;
      if (p.issuedPoints !== null) expect(p.issuedPoints).toBe(row.issuedPoints);
      if (p.redeemedPoints !== null) expect(p.redeemedPoints).toBe(row.redeemedPoints);
    }
    expect(list.filter((p) => p.month !== month).every((p) => !p.settled)).toBe(true);
    await checkPositions(list);
  });
});
