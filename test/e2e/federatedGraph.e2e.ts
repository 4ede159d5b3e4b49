// Proves one query through the gateway spans all four subgraphs and returns exactly what the seeded database holds, and that a read the database refuses is an error, never a zero balance or a short page.
import { DEMO_CONSUMER_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const QUERY = /* GraphQL */ `
  query Overview {
    me {
      id
      displayName
      household { name members { id } }
      points {
        balance
        pending
        green: balance(asset: GREEN_POINTS)
        transactions(first: 5) {
          edges { node { id type points greenPoints merchant { id name category } } }
          pageInfo { hasNextPage endCursor }
        }
      }
      greenImpact { totals { co2eGrams greenPoints records } byCategory { category totals { co2eGrams } } factors { key version value source } }
    }
    catalog(first: 5) { edges { node { id title pointsCost merchant { name } } } pageInfo { hasNextPage } }
  }
`;

interface Connection {
  edges: { node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string };
}

let t: TestStack;
let token: string;

beforeAll(async () => {
  t = await startTestStack();
  token = await t.token({ sub: DEMO_CONSUMER_ID, role: 'consumer' });
});
afterAll(() => t?.stop());

describe('the federated graph', () => {
  it("returns a user's balance, transactions with merchants, green report and the catalogue in one query", async () => {
    const res = await t.graphql(QUERY, {}, token).expect(200);
    expect(res.body.errors).toBeUndefined();
    const me = res.body.data.me;

    // users
    const [user] = await t.sql`SELECT display_name, household_id FROM users.users WHERE id = ${DEMO_CONSUMER_ID}`;
    expect(me.displayName).toBe(user!['display_name']);
    const members = await t.sql`SELECT id FROM users.users WHERE household_id = ${user!['household_id']}`;
    expect(me.household.members.map((m: { id: string }) => m.id).sort()).toEqual(members.map((m) => m['id']).sort());

    // ledger: balance and pending are the open lots, split by the return window
    const [lots] = await t.sql`
      SELECT coalesce(sum(l.remaining) FILTER (WHERE l.available_at <= now() AND l.asset = 'POINTS'), 0)::int AS balance,
             coalesce(sum(l.remaining) FILTER (WHERE l.available_at > now() AND l.asset = 'POINTS'), 0)::int AS pending,
             coalesce(sum(l.remaining) FILTER (WHERE l.available_at <= now() AND l.asset = 'GREEN_POINTS'), 0)::int AS green
      FROM ledger.lots l JOIN ledger.accounts a ON a.id = l.account_id
      WHERE a.owner_id = ${DEMO_CONSUMER_ID} AND l.expires_at > now()`;
    expect(me.points.balance).toBe(lots!['balance']);
    expect(me.points.pending).toBe(lots!['pending']);
    expect(me.points.green).toBe(lots!['green']);
    expect(me.points.balance).toBeGreaterThan(0);

    // ledger × merchants: newest transactions with their merchants
    const recent = await t.sql`
      SELECT t.id, m.name FROM ledger.transactions t JOIN merchants.merchants m ON m.id = t.merchant_id
      WHERE t.user_id = ${DEMO_CONSUMER_ID} ORDER BY t.created_at DESC, t.id DESC LIMIT 5`;
    const edges = me.points.transactions.edges;
    expect(edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(recent.map((r) => r['id']));
    expect(edges.map((e: { node: { merchant: { name: string } } }) => e.node.merchant.name)).toEqual(recent.map((r) => r['name']));
    expect(me.points.transactions.pageInfo.hasNextPage).toBe(true);

    // green-impact: totals are the sums of the user's impact records, with the factors they used
    const [impact] = await t.sql`
      SELECT sum(co2e_grams)::int AS co2e, sum(green_points)::int AS points, count(*)::int AS n
      FROM green.impact_records WHERE user_id = ${DEMO_CONSUMER_ID} AND occurred_at >= now() - interval '1 year'`;
    expect(me.greenImpact.totals).toEqual({ co2eGrams: impact!['co2e'], greenPoints: impact!['points'], records: impact!['n'] });
    expect(me.greenImpact.totals.records).toBeGreaterThan(0);
    expect(me.greenImpact.factors).toContainEqual(expect.objectContaining({ key: 'grid_cn', version: 2022, value: '0.5366' }));

    // merchants: the catalogue, cheapest first
    const rewards = await t.sql`
      SELECT id FROM merchants.rewards WHERE (stock IS NULL OR stock > 0) AND valid_from <= now() ORDER BY points_cost, id LIMIT 5`;
    expect(res.body.data.catalog.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(rewards.map((r) => r['id']));
  });

  it('pages through transactions with cursors, without gaps or repeats', async () => {
    const page = (after: string | null) =>
      t.graphql(`query ($after: String) { me { points { transactions(first: 4, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } } }`, { after }, token);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: { body: { data: { me: { points: { transactions: Connection } } } } } = await page(after).expect(200);
      const conn = res.body.data.me.points.transactions;
      seen.push(...conn.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    const [{ n }] = (await t.sql`SELECT count(*)::int AS n FROM ledger.transactions WHERE user_id = ${DEMO_CONSUMER_ID}`) as unknown as [{ n: number }];
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(n);
  });

  it('filters the catalogue and resolves products with their green profiles', async () => {
    const res = await t
      .graphql(`{ catalog(filter: { kind: VOUCHER, maxPointsCost: 1000 }, first: 50) { edges { node { kind currentPointsCost } } }
                  greenZone(first: 3) { edges { node { sku name merchant { name } greenProfile { category co2eGramsPerUnit factor { key } } } } } }`)
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    const vouchers = res.body.data.catalog.edges.map((e: { node: { kind: string; currentPointsCost: number } }) => e.node);
    expect(vouchers.length).toBeGreaterThan(0);
    for (const v of vouchers) expect(v.kind === 'VOUCHER' && v.currentPointsCost <= 1000).toBe(true);
    const products = res.body.data.greenZone.edges.map((e: { node: unknown }) => e.node);
    const skus = await t.sql`SELECT sku FROM green.green_profiles ORDER BY sku LIMIT 3`;
    expect(products.map((p: { sku: string }) => p.sku)).toEqual(skus.map((s) => s['sku']));
    expect(products[0].merchant.name).toEqual(expect.any(String));
  });

  it('lists emission factors with their public sources', async () => {
    const res = await t.graphql('{ emissionFactors { key version value unit source year publishedOn } }').expect(200);
    expect(res.body.data.emissionFactors).toContainEqual(
      expect.objectContaining({ key: 'grid_cn', version: 2022, value: '0.5366', unit: 'kgCO2/kWh', publishedOn: '2024-12-20' }),
    );
  });
});

describe('when the ledger cannot read', () => {
  const POINTS = `{ me { id points { balance pending transactions(first: 5) { edges { node { id } } } } } }`;
  const AFFORDABLE = `{ catalog(first: 5, filter: { affordableForMe: true }) { edges { node { id } } } }`;
  type Body = { data: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions: { code: string } }[] };

  /** Runs `query` while the ledger's role may not read `table`: each read of it fails as a database would. */
  async function withoutRead(table: string, query: string): Promise<Body> {
    await t.sql.unsafe(`REVOKE SELECT ON ledger.${table} FROM greenpoints_ledger`);
    try {
      return (await t.graphql(query, {}, token).expect(200)).body as Body;
    } finally {
      await t.sql.unsafe(`GRANT SELECT ON ledger.${table} TO greenpoints_ledger`);
    }
  }

  /** The points are an error at their path, never a number made up from nothing. */
  function expectPointsFailed(body: Body) {
    expect(JSON.stringify(body.data ?? {})).not.toMatch(/"(balance|pending)":\d/);
    const failed = (body.errors ?? []).filter((e) => e.path?.[0] === 'me' && e.path[1] === 'points');
    expect(failed.length).toBeGreaterThan(0);
    for (const e of failed) expect(['SUBGRAPH_UNAVAILABLE', 'INTERNAL_SERVER_ERROR']).toContain(e.extensions.code);
    for (const e of body.errors ?? []) expect(e.message).not.toMatch(/permission|ledger\.|select /i);
  }

  it.each(['accounts', 'lots'])('answers an error, never a zero balance or an empty affordable list, when %s cannot be read', async (table) => {
    expectPointsFailed(await withoutRead(table, POINTS));
    const affordable = await withoutRead(table, AFFORDABLE);
    expect(affordable.data ?? null).toBeNull();
    expect((affordable.errors ?? []).map((e) => e.extensions.code)).toEqual(['LEDGER_UNAVAILABLE']);
    // And once the database reads again, the same query answers in full.
    const after = (await t.graphql(POINTS, {}, token).expect(200)).body as { data: { me: { points: { balance: number } } }; errors?: unknown };
    expect(after.errors).toBeUndefined();
    expect(after.data.me.points.balance).toBeGreaterThan(0);
  });

  it('answers an error, never a shorter page, when the transactions cannot be read', async () => {
    const body = await withoutRead('transactions', POINTS);
    expect(JSON.stringify(body.data ?? {})).not.toMatch(/"edges":\[/);
    expect((body.errors ?? []).some((e) => e.path?.[0] === 'me')).toBe(true);
  });
});
