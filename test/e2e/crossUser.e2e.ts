// Proves that under hundreds of concurrent requests, each as a different principal, every answer holds exactly the caller's own data.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

// The README's home query: the same text for everyone, so only the principal tells users apart.
const HOME = /* GraphQL */ `
  query Home {
    me {
      id
      displayName
      household { id members { id } }
      points { balance tier transactions(first: 3) { edges { node { id type } } } }
      greenImpact { totals { greenPoints records } }
    }
    catalog(first: 3) { edges { node { id title } } }
  }
`;

const RECORD = /* GraphQL */ `
  mutation ($input: PurchaseInput!, $key: ID!) {
    recordPurchase(input: $input, idempotencyKey: $key) { id amountMinor merchant { id } }
  }
`;

interface Expected {
  id: string;
  name: string;
  householdId: string | null;
  balance: number;
  greenPoints: number;
}

let t: TestStack;
let users: Expected[];

async function post(query: string, variables: Record<string, unknown>, token: string) {
  const res = await fetch(t.stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, any>; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON
}

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  const rows = await t.sql`
    SELECT u.id, u.display_name, u.household_id,
           coalesce(sum(l.remaining) FILTER (WHERE l.asset = 'POINTS' AND l.available_at <= now() AND l.expires_at > now()), 0)::int AS balance
    FROM users.users u
    LEFT JOIN ledger.accounts a ON a.owner_id = u.id::text AND a.kind = 'USER'
    LEFT JOIN ledger.lots l ON l.account_id = a.id
    GROUP BY u.id ORDER BY u.id LIMIT 200`;
  const green = await t.sql`SELECT user_id, coalesce(sum(green_points), 0)::int AS g FROM green.impact_records GROUP BY user_id`;
  const greenBy = new Map(green.map((r) => [r['user_id'] as string, r['g'] as number]));
  users = rows.map((r) => ({
    id: r['id'],
    name: r['display_name'],
    householdId: r['household_id'],
    balance: r['balance'],
    greenPoints: greenBy.get(r['id']) ?? 0,
  }));
});
afterAll(() => t?.stop());

describe('no principal ever receives another principal’s data', () => {
  it('answers 400 concurrent home queries (200 users, each twice) each with its own user', async () => {
    const tokens = await Promise.all(users.map((u) => t.token({ sub: u.id, role: 'consumer' })));
    const jobs = [...users.keys(), ...users.keys()].map(async (i) => ({ user: users[i]!, body: await post(HOME, {}, tokens[i]!) }));
    const answers = await Promise.all(jobs);
    for (const { user, body } of answers) {
      expect(body.errors).toBeUndefined();
      const me = body.data!['me'];
      expect(me.id).toBe(user.id);
      expect(me.displayName).toBe(user.name);
      expect(me.household?.id ?? null).toBe(user.householdId);
      expect(me.points.balance).toBe(user.balance);
      expect(me.greenImpact.totals.greenPoints).toBe(user.greenPoints);
    }
  });

  it('returns each of 100 concurrent purchases, at 10 merchants for 100 users, to the merchant that recorded it', async () => {
    const merchants = (await t.sql`SELECT id FROM merchants.merchants ORDER BY id LIMIT 10`).map((r) => r['id'] as string);
    const tokens = await Promise.all(merchants.map((m) => t.token({ role: 'merchant', merchantId: m })));
    const jobs = users.slice(0, 100).map(async (user, i) => {
      const merchantId = merchants[i % merchants.length]!;
      const amountMinor = 1_000 + i;
      const body = await post(RECORD, { input: { userId: user.id, merchantId, amountMinor }, key: randomUUID() }, tokens[i % merchants.length]!);
      return { user, merchantId, amountMinor, body };
    });
    for (const { user, merchantId, amountMinor, body } of await Promise.all(jobs)) {
      expect(body.errors).toBeUndefined();
      const purchase = body.data!['recordPurchase'];
      expect(purchase.merchant.id).toBe(merchantId);
      expect(purchase.amountMinor).toBe(amountMinor);
      const [row] = await t.sql`SELECT user_id, merchant_id, amount_minor::int AS amount_minor FROM ledger.purchases WHERE id = ${purchase.id}`;
      expect(row).toEqual({ user_id: user.id, merchant_id: merchantId, amount_minor: amountMinor });
    }
  });
});
