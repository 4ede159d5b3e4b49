import { randomUUID } from 'node:crypto';
import type { Principal } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { ledgerOutbox, purchaseLines, purchases, transactions } from '@greenpoints/db/schema/ledger';
import { publish } from '@greenpoints/events';
import { accountKey, purchasePostings } from '../domain/postings.ts';
import { LedgerError } from '../errors.ts';
import { appendPostings, insertLots, lockAccounts } from '../repositories/accountsRepository.ts';
import { createTransactionsRepository, type PurchaseRow } from '../repositories/transactionsRepository.ts';
import { authorize, checkParties, replay, requestHash, validate, type PurchaseInput } from './purchaseChecks.ts';
import { earnPurchase } from './purchaseEarning.ts';

export type { PurchaseInput } from './purchaseChecks.ts';

/**
 * Records a purchase and earns points, atomically and idempotently: the transaction row (unique on
 * the scoped key) is inserted first, so a concurrent retry waits on it and then replays the result.
 */
export async function recordPurchase(
  db: Database,
  principal: Principal,
  input: PurchaseInput,
  idempotencyKey: string,
  now = new Date(),
): Promise<PurchaseRow> {
  authorize(principal, input.merchantId);
  validate(input, idempotencyKey, now);
  const scopedKey = `purchase:${input.merchantId}:${idempotencyKey}`;
  const hash = requestHash(input);
  const occurredAt = input.occurredAt ?? now;
  const lines = input.lines ?? [];

  return db.transaction(async (tx) => {
    const repo = createTransactionsRepository(tx);
    const transactionId = randomUUID();
    const inserted = await tx
      .insert(transactions)
      .values({
        id: transactionId,
        type: 'PURCHASE_EARN',
        idempotencyKey: scopedKey,
        userId: input.userId,
        merchantId: input.merchantId,
        description: 'Purchase',
        createdAt: now,
      })
      .onConflictDoNothing({ target: transactions.idempotencyKey })
      .returning({ id: transactions.id });
    if (inserted.length === 0) {
      const existing = await repo.transactionByKey(scopedKey);
      return replay(existing ? await repo.purchaseByTransaction(existing.id) : undefined, hash);
    }

    await checkParties(repo, input);
    const earning = await earnPurchase(tx, { ...input, lines }, occurredAt);
    const { tier } = earning;

    const drafts = purchasePostings(input.userId, input.merchantId, earning.points, earning.greenPoints);
    if (drafts.length > 0) {
      const locked = await lockAccounts(tx, drafts.map((d) => d.account));
      const budget = locked.get(accountKey({ kind: 'MERCHANT_ISSUANCE', ownerId: input.merchantId, asset: 'POINTS' }));
      if (earning.points > 0 && (budget?.balance ?? 0) < earning.points) {
        throw new LedgerError('BUDGET_EXHAUSTED', "The merchant's funded points budget cannot cover this purchase");
      }
      await appendPostings(tx, transactionId, drafts, locked);
      const { availableAt, expiresAt } = earning;
      await insertLots(
        tx,
        drafts
          .filter((d) => d.account.kind === 'USER')
          .map((d) => ({
            accountId: locked.get(accountKey(d.account))!.id,
            transactionId,
            asset: d.account.asset,
            amount: d.amount,
            availableAt,
            expiresAt,
          })),
      );
    }

    const purchaseId = randomUUID();
    const [purchase] = await tx
      .insert(purchases)
      .values({
        id: purchaseId,
        transactionId,
        userId: input.userId,
        merchantId: input.merchantId,
        amountMinor: input.amountMinor,
        earnRuleVersion: earning.ruleVersion,
        promotionIds: earning.promotionIds,
        tier,
        points: earning.points,
        greenPoints: earning.greenPoints,
        requestHash: hash,
        occurredAt,
      })
      .returning();
    if (earning.lines.length > 0) {
      await tx.insert(purchaseLines).values(earning.lines.map((l, i) => ({ purchaseId, lineNo: i + 1, ...l })));
    }
    // Other domains (green-impact) learn of the purchase from the outbox, written in this same transaction.
    await publish(
      tx,
      ledgerOutbox,
      'PurchaseRecorded',
      {
        purchaseId,
        userId: input.userId,
        merchantId: input.merchantId,
        occurredAt: occurredAt.toISOString(),
        amountMinor: input.amountMinor,
        points: earning.points,
        greenPoints: earning.greenPoints,
        lines: earning.lines,
      },
      now,
    );
    return purchase!;
  });
}
