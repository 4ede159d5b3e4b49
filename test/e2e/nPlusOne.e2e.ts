// Proves that a list costs a constant number of SQL statements per subgraph: the same query with a small and a large list sends no more statements to any subgraph's database.
import { DEMO_CONSUMER_ID } from '@greenpoints/common';
import type { OwnedSchema } from '@greenpoints/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;
let admin: string;
let consumer: string;

beforeAll(async () => {
  // No relay nor consumers: they poll the database and their statements would count too.
  t = await startTestStack({ relay: false, countStatements: true });
  admin = await t.token({ role: 'admin', sub: 'n-plus-one-admin' });
  consumer = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
});
afterAll(() => t?.stop());

type Counts = Record<OwnedSchema, number>;

/** Runs one operation and returns its data and the statements each subgraph sent for it. */
async function measure(query: string, variables: Record<string, unknown>, token: string) {
  const dbs = Object.entries(t.stack.subgraphDbs) as [OwnedSchema, (typeof t.stack.subgraphDbs)[OwnedSchema]][];
  for (const [, h] of dbs) h.statements!.reset();
  const res = await t.graphql(query, variables, token).expect(200);
  expect(res.body.errors).toBeUndefined();
  const counts = Object.fromEntries(dbs.map(([name, h]) => [name, h.statements!.count])) as Counts;
  const statements = Object.fromEntries(dbs.map(([name, h]) => [name, [...h.statements!.recent]])) as Record<OwnedSchema, string[]>;
  return { data: res.body.data, counts, statements };
}

/** The statements of the large run, with how many times each was sent, for the failure message. */
function explain(statements: Record<OwnedSchema, string[]>): string {
  return Object.entries(statements)
    .map(([name, list]) => {
      const times = new Map<string, number>();
      for (const s of list) times.set(s, (times.get(s) ?? 0) + 1);
      return `${name}:\n${[...times].map(([s, n]) => `  ${n}× ${s.slice(0, 160)}`).join('\n')}`;
    })
    .join('\n');
}

/** The large list must cost no more statements, in any subgraph, than the small one. */
async function expectConstant(query: string, small: Record<string, unknown>, large: Record<string, unknown>, token: string, sizeOf: (data: never) => number) {
  const a = await measure(query, small, token);
  const b = await measure(query, large, token);
  expect(sizeOf(b.data as never)).toBeGreaterThan(sizeOf(a.data as never));
  for (const name of Object.keys(a.counts) as OwnedSchema[]) {
    expect(b.counts[name], `${name}: ${a.counts[name]} statements for the small list, ${b.counts[name]} for the large\n${explain(b.statements)}`).toBeLessThanOrEqual(a.counts[name]);
  }
  return { small: a.counts, large: b.counts };
}

describe('a list costs a constant number of statements per subgraph', () => {
  it('each subgraph has its own counted connection', () => {
    const handles = Object.values(t.stack.subgraphDbs);
    expect(new Set(handles).size).toBe(4);
    for (const h of handles) expect(h.statements).toBeDefined();
  });

  it('catalog rewards with their merchants and earn rules', async () => {
    const query = `query ($n: Int) { catalog(first: $n) { edges { node { id title currentPointsCost merchant { id name category earnRule { version pointsPerYuan } promotions { id } } } } } }`;
    await expectConstant(query, { n: 3 }, { n: 40 }, consumer, (d: { catalog: { edges: unknown[] } }) => d.catalog.edges.length);
  });

  it('merchants with products, rewards, earn rules, promotions and their green reports', async () => {
    const query = `query ($n: Int) { merchants(first: $n) { edges { node { id name earnRule { version } earnRuleHistory { version }
      products(first: 5) { edges { node { sku name greenProfile { category greenPointsPerUnit } } } }
      rewards { id title currentPointsCost } promotions { id } } } } }`;
    await expectConstant(query, { n: 2 }, { n: 20 }, admin, (d: { merchants: { edges: unknown[] } }) => d.merchants.edges.length);
  });

  it('the green zone: products with their merchants and green profiles', async () => {
    const query = `query ($n: Int) { greenZone(first: $n) { edges { node { sku name priceMinor merchant { id name } greenProfile { category co2eGramsPerUnit factor { key version } } } } } }`;
    await expectConstant(query, { n: 2 }, { n: 20 }, consumer, (d: { greenZone: { edges: unknown[] } }) => d.greenZone.edges.length);
  });

  it("a consumer's transactions with their merchants", async () => {
    const query = `query ($n: Int) { me { points { transactions(first: $n) { edges { node { id type description points greenPoints createdAt merchant { id name category } } } } } } }`;
    const { large } = await expectConstant(query, { n: 3 }, { n: 50 }, consumer, (d: { me: { points: { transactions: { edges: unknown[] } } } }) => d.me.points.transactions.edges.length);
    // The ledger provides the merchants' name and category from its copy: the merchants subgraph is not asked.
    expect(large.merchants).toBe(0);
  });

  // Not yet here: PointsAccount.transactions, which still runs its page (and its amounts) once per user.
  it('household members with their points, tier, transactions and green reports', async () => {
    const rows = await t.sql<{ id: string; n: number }[]>`
      select household_id as id, count(*)::int as n from users.users where household_id is not null group by household_id order by n, household_id`;
    const smallest = rows[0]!;
    const largest = rows[rows.length - 1]!;
    expect(largest.n).toBeGreaterThan(smallest.n);
    const query = `query ($id: ID!) { household(id: $id) { id members { id displayName
      points { balance pending tier tierProgress { spendMinor } pointsDebt expiring { amount } redemptions { id } fraudCases { id } frozen
        transactions(first: 3) { edges { node { id points greenPoints merchant { id name } } } } }
      greenImpact { totals { co2eKg records } } } } }`;
    await expectConstant(query, { id: smallest.id }, { id: largest.id }, admin, (d: { household: { members: unknown[] } }) => d.household.members.length);
  });
});
