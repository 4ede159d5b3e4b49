import { randomUUID } from 'node:crypto';
import type { Executor } from '@greenpoints/db';
import { ledgerOutbox, transactions } from '@greenpoints/db/schema/ledger';
import { publish, type Handler } from '@greenpoints/events';
import { lotDates } from '../domain/earning.ts';
import { ALLIANCE, accountKey, assertBalanced, type AccountRef, type PostingDraft } from '../domain/postings.ts';
import { appendPostings, insertLots, lockAccounts } from '../repositories/accountsRepository.ts';
import { createTransactionsRepository } from '../repositories/transactionsRepository.ts';

/** Green actions have no return window: their points are spendable at once. */
const ACTIVITY_PENDING_DAYS = 0;

/** The organiser's funded green budget: a merchant's, or the alliance's when it ran the activity itself. */
export const greenBudgetOf = (organiserId: string | null): AccountRef =>
  organiserId === null
    ? { kind: 'ALLIANCE_ISSUANCE', ownerId: ALLIANCE, asset: 'GREEN_POINTS' }
    : { kind: 'MERCHANT_ISSUANCE', ownerId: organiserId, asset: 'GREEN_POINTS' };

/** Why the ledger would not issue, or null when the user and organiser may earn and give points. */
async function refusalOf(tx: Executor, userId: string, organiserId: string | null): Promise<string | null> {
  const repo = createTransactionsRepository(tx);
  const user = await repo.userCopy(userId);
  if (!user || user.status === 'ERASED') return 'UNKNOWN_USER';
  if (user.status !== 'ACTIVE') return 'USER_NOT_ACTIVE';
  if (organiserId !== null) {
    const merchant = await repo.merchantCopy(organiserId);
    if (!merchant) return 'UNKNOWN_MERCHANT';
    if (merchant.status !== 'ACTIVE') return 'MERCHANT_NOT_ACTIVE';
  }
  return null;
}

/**
 * Issues a verified green activity's points, as the ledger issues any points: a transaction of
 * postings from the organiser's funded green budget to the user, and a lot for the user. Refused
 * when the user or organiser may not take part or the budget cannot cover it; either way the
 * decision is a transaction row under the activity's key (so a redelivery or a replay decides
 * nothing again) and is answered with GreenActivityCredited in the same database transaction.
 */
export const onGreenActivityRecorded: Handler<'GreenActivityRecorded'> = async (tx, event) => {
  const p = event.payload;
  const key = `green-activity:${p.activityId}`;
  const repo = createTransactionsRepository(tx);
  if (await repo.transactionByKey(key)) return;

  const budget = greenBudgetOf(p.organiserId);
  const user: AccountRef = { kind: 'USER', ownerId: p.userId, asset: 'GREEN_POINTS' };
  let refusal = await refusalOf(tx, p.userId, p.organiserId);
  const drafts: PostingDraft[] = [{ account: budget, amount: -p.greenPoints }, { account: user, amount: p.greenPoints }];
  const locked = refusal === null && p.greenPoints > 0 ? await lockAccounts(tx, drafts.map((d) => d.account)) : null;
  if (locked && (locked.get(accountKey(budget))?.balance ?? 0) < p.greenPoints) refusal = 'BUDGET_EXHAUSTED';

  const transactionId = randomUUID();
  const now = new Date();
  const inserted = await tx
    .insert(transactions)
    .values({
      id: transactionId,
      type: 'GREEN_ACTIVITY',
      idempotencyKey: key,
      // A refusal moves nothing, so it stays out of the user's statement; the activity shows why.
      userId: refusal === null ? p.userId : null,
      merchantId: p.organiserId,
      description: refusal === null ? `Green activity: ${p.kind}` : `Green activity refused: ${refusal}`,
      metadata: { activityId: p.activityId, kind: p.kind, userId: p.userId, status: refusal === null ? 'CREDITED' : 'REFUSED', reason: refusal },
      createdAt: now,
    })
    .onConflictDoNothing({ target: transactions.idempotencyKey })
    .returning({ id: transactions.id });
  if (inserted.length === 0) return;

  if (refusal === null && locked) {
    assertBalanced(drafts);
    await appendPostings(tx, transactionId, drafts, locked);
    const { availableAt, expiresAt } = lotDates(new Date(p.occurredAt), ACTIVITY_PENDING_DAYS);
    await insertLots(tx, [{ accountId: locked.get(accountKey(user))!.id, transactionId, asset: 'GREEN_POINTS', amount: p.greenPoints, availableAt, expiresAt }]);
  }
  await publish(
    tx,
    ledgerOutbox,
    'GreenActivityCredited',
    {
      activityId: p.activityId,
      userId: p.userId,
      status: refusal === null ? 'CREDITED' : 'REFUSED',
      greenPoints: refusal === null ? p.greenPoints : 0,
      reason: refusal,
      occurredAt: now.toISOString(),
    },
    now,
  );
};
