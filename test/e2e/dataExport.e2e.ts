// Proves exportMyData gathers one person's data from users, ledger and green-impact (and nobody else's), and that deleting an account leaves its ledger history whole.
import { DEMO_CONSUMER_ID, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const EXPORT = '{ exportMyData { userId generatedAt profile ledger greenImpact } }';

interface LedgerPart {
  accounts: { id: string; asset: string; balance: number }[];
  lots: { remaining: number }[];
  transactions: { id: string; postings: { accountId: string; amount: number }[] }[];
  purchases: { id: string; lines: unknown[] }[];
}

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
});
afterAll(() => t?.stop());

async function counts(userId: string) {
  const [row] = await t.sql`SELECT
    (SELECT count(DISTINCT p.transaction_id) FROM ledger.postings p JOIN ledger.accounts a ON a.id = p.account_id WHERE a.kind = 'USER' AND a.owner_id = ${userId})::int AS transactions,
    (SELECT count(*) FROM ledger.purchases WHERE user_id = ${userId})::int AS purchases,
    (SELECT coalesce(sum(l.remaining), 0) FROM ledger.lots l JOIN ledger.accounts a ON a.id = l.account_id WHERE a.owner_id = ${userId})::int AS remaining,
    (SELECT count(*) FROM green.impact_records WHERE user_id = ${userId})::int AS impact,
    (SELECT count(*) FROM users.consents WHERE user_id = ${userId})::int AS consents`;
  return row!;
}

describe('exportMyData', () => {
  it('returns the person’s profile, ledger and green records, each equal to what the database holds', async () => {
    const token = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    await t.graphql('mutation { grantConsent(kind: ANALYTICS) { id } }', {}, token).expect(200);
    const res = await t.graphql(EXPORT, {}, token).expect(200);
    expect(res.body.errors).toBeUndefined();
    const data = res.body.data.exportMyData;
    const expected = await counts(DEMO_CONSUMER_ID);
    expect(data.userId).toBe(DEMO_CONSUMER_ID);
    expect(data.profile.profile).toMatchObject({ id: DEMO_CONSUMER_ID, phone: expect.stringMatching(/^1\d{10}$/) });
    expect(data.profile.household.members.map((m: { id: string }) => m.id)).toContain(DEMO_CONSUMER_ID);
    expect(data.profile.consentHistory).toHaveLength(expected['consents']);
    const ledger = data.ledger as LedgerPart;
    expect(ledger.transactions).toHaveLength(expected['transactions']);
    expect(ledger.purchases).toHaveLength(expected['purchases']);
    expect(ledger.lots.reduce((s, l) => s + Number(l.remaining), 0)).toBe(expected['remaining']);
    // Only the person's own postings travel: every one is on one of their accounts.
    const own = new Set(ledger.accounts.map((a) => a.id));
    expect(ledger.transactions.flatMap((tx) => tx.postings).every((p) => own.has(p.accountId))).toBe(true);
    expect(data.greenImpact.impactRecords).toHaveLength(expected['impact']);
    expect(data.greenImpact.impactRecords.every((r: { userId: string }) => r.userId === DEMO_CONSUMER_ID)).toBe(true);
  });

  it('is for the person alone: other roles are refused, and nobody can ask for someone else’s', async () => {
    for (const claims of [{ role: 'merchant', merchantId: DEMO_MERCHANT_ID }, { role: 'analyst', sub: 'a' }, { role: 'admin', sub: 'ops' }]) {
      const res = await t.graphql(EXPORT, {}, await t.token(claims)).expect(200);
      expect(res.body.data.exportMyData).toBeNull();
      expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    // For a partner it is outside the contract: it does not exist.
    const partner = await t.graphql(EXPORT, {}, await t.token({ role: 'partner', partnerId: 'p' })).expect(400);
    expect(partner.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const anonymous = await t.graphql(EXPORT).expect(200);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('after deleteMyAccount', () => {
  it('keeps the person’s ledger history whole: every transaction balances and every balance equals its postings', async () => {
    const [victim] = await t.sql`SELECT u.id FROM users.users u JOIN ledger.accounts a ON a.owner_id = u.id::text
      WHERE u.household_id IS NULL GROUP BY u.id ORDER BY u.id LIMIT 1`;
    const id = victim!['id'] as string;
    const before = await counts(id);
    const token = await t.token({ role: 'consumer', sub: id });
    const res = await t.graphql('mutation { deleteMyAccount { id status } }', {}, token).expect(200);
    expect(res.body.data.deleteMyAccount).toEqual({ id, status: 'ERASED' });
    const [person] = await t.sql`SELECT display_name, phone_encrypted, phone_hash FROM users.users WHERE id = ${id}`;
    expect(person!['phone_encrypted']).toBeNull();
    expect(person!['phone_hash']).toBeNull();
    // The ledger keeps the pseudonymous account and all of it.
    const after = await counts(id);
    expect({ transactions: after['transactions'], purchases: after['purchases'], remaining: after['remaining'] }).toEqual({
      transactions: before['transactions'],
      purchases: before['purchases'],
      remaining: before['remaining'],
    });
    const unbalanced = await t.sql`SELECT p.transaction_id FROM ledger.postings p
      WHERE p.transaction_id IN (SELECT p2.transaction_id FROM ledger.postings p2 JOIN ledger.accounts a ON a.id = p2.account_id WHERE a.owner_id = ${id})
      GROUP BY p.transaction_id, p.asset HAVING sum(p.amount) <> 0`;
    expect(unbalanced).toHaveLength(0);
    const drift = await t.sql`SELECT a.id FROM ledger.accounts a LEFT JOIN ledger.postings p ON p.account_id = a.id
      WHERE a.owner_id = ${id} GROUP BY a.id, a.balance HAVING a.balance <> coalesce(sum(p.amount), 0)`;
    expect(drift).toHaveLength(0);
  });
});
