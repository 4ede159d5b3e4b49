// Proves a member is held only to the reward terms they read: each change of the title, kind, terms or validity raises Reward.termsVersion (the price has its own check), and a redemption naming an older version is refused with REWARD_CHANGED (the new terms attached) and holds nothing, also while the merchant rewrites the terms under many members redeeming at once.
import { randomUUID } from 'node:crypto';
import { DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;
let merchant: string;

type Answer = { data?: Record<string, Record<string, unknown> | null>; errors?: { message: string; extensions?: Record<string, unknown> }[] };

async function send(query: string, variables: Record<string, unknown>, token: string): Promise<Answer> {
  const res = await fetch(t.stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Answer;
}

const UPSERT = `mutation($merchantId: ID!, $input: RewardInput!) { upsertReward(merchantId: $merchantId, input: $input) { id pointsCost terms termsVersion } }`;
const REDEEM = `mutation($rewardId: ID!, $v: Int, $key: ID!) {
  redeemReward(rewardId: $rewardId, expectedTermsVersion: $v, idempotencyKey: $key) { id status points terms }
}`;

/** One start for every reward of the file: a re-save that does not move it changes nothing. */
const validFrom = new Date(Date.now() - 60_000).toISOString();
const reward = (terms: string, pointsCost: number, id?: string, what: { title?: string; kind?: string; validUntil?: string } = {}) => ({
  ...(id ? { id } : {}),
  title: what.title ?? '环保购物袋',
  kind: what.kind ?? 'GOODS',
  pointsCost,
  unlimitedStock: true,
  validFrom,
  ...(what.validUntil ? { validUntil: what.validUntil } : {}),
  terms,
});

async function upsert(input: ReturnType<typeof reward>): Promise<{ id: string; pointsCost: number; terms: string; termsVersion: number }> {
  const res = await send(UPSERT, { merchantId: DEMO_MERCHANT_ID, input }, merchant);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!['upsertReward'] as { id: string; pointsCost: number; terms: string; termsVersion: number };
}

const balanceOf = async (userId: string) =>
  Number((await t.sql`SELECT balance FROM ledger.accounts WHERE kind = 'USER' AND owner_id = ${userId} AND asset = 'POINTS'`)[0]?.['balance'] ?? 0);

/** Active members with at least `points`, from the seed. */
async function membersWith(points: number, count: number): Promise<string[]> {
  const rows = await t.sql`
    SELECT a.owner_id FROM ledger.accounts a JOIN ledger.user_copies u ON u.user_id::text = a.owner_id
    WHERE a.kind = 'USER' AND a.asset = 'POINTS' AND a.balance >= ${points} AND a.debt = 0 AND u.status = 'ACTIVE'
    ORDER BY a.owner_id LIMIT ${count}`;
  return rows.map((r) => r['owner_id'] as string);
}

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
});
afterAll(() => t?.stop());

describe('reward terms', () => {
  it('raises the version when the terms change, not when only the price does', async () => {
    const created = await upsert(reward('凭会员码领取，每人限一件。', 40));
    expect(created.termsVersion).toBe(1);
    const repriced = await upsert(reward('凭会员码领取，每人限一件。', 45, created.id));
    expect(repriced).toMatchObject({ pointsCost: 45, termsVersion: 1 });
    const rewritten = await upsert(reward('凭会员码领取，每人限一件，当日有效。', 45, created.id));
    expect(rewritten.termsVersion).toBe(2);
  });

  it('raises the version when what the reward is or when it can be used changes, the terms text kept', async () => {
    const terms = 'Credited to your next bill. Not exchangeable for cash.';
    const shown = await upsert(reward(terms, 50, undefined, { title: '¥50 bill credit voucher', kind: 'VOUCHER' }));
    const retitled = await upsert(reward(terms, 50, shown.id, { title: '¥5 bill credit voucher', kind: 'VOUCHER' }));
    expect(retitled.termsVersion).toBe(shown.termsVersion + 1);
    const rekinded = await upsert(reward(terms, 50, shown.id, { title: '¥5 bill credit voucher', kind: 'GOODS' }));
    expect(rekinded.termsVersion).toBe(shown.termsVersion + 2);
    const limited = await upsert(reward(terms, 50, shown.id, { title: '¥5 bill credit voucher', kind: 'GOODS', validUntil: new Date(Date.now() + 86_400_000).toISOString() }));
    expect(limited.termsVersion).toBe(shown.termsVersion + 3);
    // A member shown the ¥50 voucher is not held to the ¥5 one.
    const [userId] = await membersWith(100, 1);
    const res = await send(REDEEM, { rewardId: shown.id, v: shown.termsVersion, key: randomUUID() }, await t.token({ role: 'consumer', sub: userId! }));
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'REWARD_CHANGED', currentTermsVersion: shown.termsVersion + 3 });
  });

  it('refuses a redemption made under terms that changed since, with the new terms, holding nothing', async () => {
    const shown = await upsert(reward('Collect in store with your member code.', 30));
    await upsert(reward('Collect in store within 24 hours, or the points are not returned.', 30, shown.id));
    const [userId] = await membersWith(100, 1);
    const consumer = await t.token({ role: 'consumer', sub: userId! });
    const before = await balanceOf(userId!);

    const stale = await send(REDEEM, { rewardId: shown.id, v: shown.termsVersion, key: randomUUID() }, consumer);
    expect(stale.errors?.[0]?.extensions).toMatchObject({
      code: 'REWARD_CHANGED',
      argument: 'expectedTermsVersion',
      currentTermsVersion: 2,
      currentTerms: 'Collect in store within 24 hours, or the points are not returned.',
    });
    expect(await balanceOf(userId!)).toBe(before);
    expect((await t.sql`SELECT count(*)::int AS n FROM ledger.redemptions WHERE user_id = ${userId!} AND reward_id = ${shown.id}`)[0]!['n']).toBe(0);

    const accepted = await send(REDEEM, { rewardId: shown.id, v: 2, key: randomUUID() }, consumer);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.['redeemReward']).toMatchObject({ status: 'POSTED', points: 30, terms: 'Collect in store within 24 hours, or the points are not returned.' });
    expect(await balanceOf(userId!)).toBe(before - 30);
  });

  it('refuses a version that is not a version', async () => {
    const shown = await upsert(reward('One per member.', 20));
    const [userId] = await membersWith(100, 1);
    const consumer = await t.token({ role: 'consumer', sub: userId! });
    for (const v of [0, -3]) {
      const res = await send(REDEEM, { rewardId: shown.id, v, key: randomUUID() }, consumer);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expectedTermsVersion' });
    }
  });

  it('charges no one under terms they did not read while the merchant rewrites them during many redemptions', async () => {
    const first = '每人限兑一次。';
    const second = '每人限兑一次，兑换后不退不换。';
    const shown = await upsert(reward(first, 25));
    const members = await membersWith(200, 16);
    expect(members.length).toBe(16);
    const before = new Map(await Promise.all(members.map(async (m) => [m, await balanceOf(m)] as const)));
    const tokens = await Promise.all(members.map((sub) => t.token({ role: 'consumer', sub })));

    const [answers] = await Promise.all([
      Promise.all(tokens.map((token) => send(REDEEM, { rewardId: shown.id, v: shown.termsVersion, key: randomUUID() }, token))),
      new Promise((r) => setTimeout(r, 5)).then(() => upsert(reward(second, 25, shown.id))),
    ]);

    for (const [i, answer] of answers.entries()) {
      const member = members[i]!;
      if (answer.errors) {
        expect(answer.errors[0]!.extensions).toMatchObject({ code: 'REWARD_CHANGED', currentTermsVersion: 2, currentTerms: second });
        expect(await balanceOf(member)).toBe(before.get(member));
      } else {
        expect(answer.data?.['redeemReward']).toMatchObject({ status: 'POSTED', points: 25, terms: first });
        expect(await balanceOf(member)).toBe(before.get(member)! - 25);
      }
    }
    // Whatever the interleaving, every redemption of the reward is under the terms its member read.
    const kept = await t.sql`SELECT DISTINCT terms FROM ledger.redemptions WHERE reward_id = ${shown.id}`;
    expect(kept.map((r) => r['terms'])).toEqual(kept.length ? [first] : []);
  });
});
