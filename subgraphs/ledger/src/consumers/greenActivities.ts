import { randomUUID } from 'node:crypto';
import type { Executor } from '@greenpoints/db';
import { ledgerOutbox } from '@greenpoints/db/schema/ledger';
import { publish, type Handler } from '@greenpoints/events';
import { lotDates } from '../domain/earning.ts';
import { ALLIANCE, accountKey, move, userAccount, type AccountRef } from '../domain/postings.ts';
import { LedgerError } from '../errors.ts';
import { runOperation } from '../operations/operationLog.ts';
import { appendPostings, creditLots, insertTransaction, lockAccounts } from '../repositories/accountsRepository.ts';
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
 * Issues a verified green activity's points, as the ledger issues any points, through the operation
 * log (scope `green-activity`, keyed by the activity, so a redelivery or a replay decides nothing
 * again): a transaction of postings from the organiser's funded green budget to the user, and a lot
 * for the user. Refused when the user or organiser may not take part or the budget cannot cover it
 * (the refusal is the operation's result, with a transaction that moves nothing); either way it is
 * answered with GreenActivityCredited in the same database transaction.
 */
export const onGreenActivityRecorded: Handler<'GreenActivityRecorded'> = async (tx, event) => {
  const p = event.payload;
  const now = new Date();
  const op = { scope: 'green-activity', key: p.activityId, actor: 'service:green-impact', request: { activityId: p.activityId, userId: p.userId, organiserId: p.organiserId, greenPoints: p.greenPoints } };
  const decide = (refusal: string | null) =>
    runOperation(
      tx,
      op,
      async (otx, operationId) => {
        const transactionId = randomUUID();
        await insertTransaction(otx, {
          id: transactionId,
          operationId,
          type: 'GREEN_ACTIVITY',
          // A refusal moves nothing, so it stays out of the user's statement; the activity shows why.
          userId: refusal === null ? p.userId : null,
          merchantId: p.organiserId,
          description: refusal === null ? `Green activity: ${p.kind}` : `Green activity refused: ${refusal}`,
          metadata: { activityId: p.activityId, kind: p.kind, userId: p.userId, status: refusal === null ? 'CREDITED' : 'REFUSED', reason: refusal },
          createdAt: now,
        });
        if (refusal === null && p.greenPoints > 0) {
          const user = userAccount(p.userId, 'GREEN_POINTS');
          const locked = await lockAccounts(otx, [user]);
          const { availableAt, expiresAt } = lotDates(new Date(p.occurredAt), ACTIVITY_PENDING_DAYS);
          await creditLots(otx, locked.get(accountKey(user))!, 'GREEN_POINTS', transactionId, [{ amount: p.greenPoints, availableAt, expiresAt }], now);
          // The organiser's budget last: one conditional decrement, BUDGET_EXHAUSTED if it cannot cover it.
          await appendPostings(otx, transactionId, move(greenBudgetOf(p.organiserId), user, p.greenPoints));
        }
        await publish(
          otx,
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
        return { transactionId, refusal };
      },
      async (_tx, result) => result,
      now,
    );
  const refusal = await refusalOf(tx, p.userId, p.organiserId);
  try {
    await decide(refusal);
  } catch (error) {
    if (!(error instanceof LedgerError && error.code === 'BUDGET_EXHAUSTED')) throw error;
    await decide('BUDGET_EXHAUSTED');
  }
};
