import { randomUUID } from 'node:crypto';
import type { Principal } from '@greenpoints/common';
import { preparedInsert, send, type Database } from '@greenpoints/db';
import { ledgerOutbox, purchaseLines, purchases } from '@greenpoints/db/schema/ledger';
import { publish } from '@greenpoints/events';
import { eq } from 'drizzle-orm';
import { capGreenPoints } from '../domain/greenCap.ts';
import { accountKey, purchasePostings, userAccount } from '../domain/postings.ts';
import { DEFAULT_POLICY, type LedgerPolicy } from '../policy.ts';
import { appendPostings, creditLots, ensureAccounts, insertTransaction, lockAccounts } from '../repositories/accountsRepository.ts';
import type { PurchaseRow } from '../repositories/transactionsRepository.ts';
import { actorOf } from './actor.ts';
import { runOperation } from './operationLog.ts';
import { authorize, checkLines, checkParties, checkWindow, validate, type PurchaseInput } from './purchaseChecks.ts';
import { earnPurchase, loadPurchaseContext, type PurchaseContext } from './purchaseEarning.ts';

export type { PurchaseInput } from './purchaseChecks.ts';

const insertPurchase = preparedInsert('ledger_purchases_insert', purchases, [
  'id', 'transactionId', 'userId', 'merchantId', 'amountMinor', 'earnRuleVersion', 'promotionIds', 'tier', 'points', 'greenPoints', 'status', 'refundedMinor', 'requestHash', 'occurredAt',
]);

/**
 * Records a purchase and earns points, atomically and idempotently through the operation log.
 * Points are issued only here, from a real purchase: by a registered, active user at an active
 * merchant, for lines that are the merchant's own SKUs and add up to the amount, recorded within the
 * purchase window, and within the merchant's funded budgets (points and green points alike).
 */
export async function recordPurchase(
  db: Database,
  principal: Principal,
  input: PurchaseInput,
  idempotencyKey: string,
  now = new Date(),
  policy: LedgerPolicy = DEFAULT_POLICY,
): Promise<PurchaseRow> {
  authorize(principal, input.merchantId);
  validate(input, now);
  const occurredAt = input.occurredAt ?? now;
  const lines = input.lines ?? [];
  const request = {
    userId: input.userId,
    merchantId: input.merchantId,
    amountMinor: input.amountMinor,
    lines: lines.map((l) => [l.sku, l.quantity, l.unitPriceMinor]),
    occurredAt: input.occurredAt?.toISOString() ?? null,
  };

  // The row a new purchase answers with, so its first answer needs no read back; a retry reads it.
  let recorded: PurchaseRow | undefined;
  const purchase = { ...input, lines };
  return runOperation<{ purchaseId: string }, PurchaseRow, PurchaseContext>(
    db,
    { scope: `purchase:${input.merchantId}`, key: idempotencyKey, actor: actorOf(principal), request },
    async (tx, operationId, settle, context) => {
      checkWindow(input, now, policy.purchaseWindowDays);
      checkParties(context);
      checkLines(context, input);
      const earning = await earnPurchase(tx, purchase, context, occurredAt);
      const { tier, availableAt, expiresAt } = earning;
      const green = capGreenPoints(earning.lines, policy.greenPointsPerOrderCap);

      const drafts = purchasePostings(input.userId, input.merchantId, earning.points, green.greenPoints);
      const assets = (['POINTS', 'GREEN_POINTS'] as const).filter((a) => (a === 'POINTS' ? earning.points : green.greenPoints) > 0);
      // The user's accounts locked (they hold lots), the merchant's budgets only looked up: one round trip.
      const [locked, budgets] = await Promise.all([
        lockAccounts(tx, assets.map((a) => userAccount(input.userId, a))),
        ensureAccounts(tx, drafts.map((d) => d.account).filter((a) => a.kind !== 'USER')),
      ]);

      const transactionId = randomUUID();
      const purchaseId = randomUUID();
      recorded = {
        id: purchaseId,
        transactionId,
        userId: input.userId,
        merchantId: input.merchantId,
        amountMinor: input.amountMinor,
        earnRuleVersion: earning.ruleVersion,
        promotionIds: earning.promotionIds,
        tier,
        points: earning.points,
        greenPoints: green.greenPoints,
        status: 'RECORDED',
        refundedMinor: 0,
        requestHash: 'operation-log',
        occurredAt,
      };
      // The writes go out together, in this order (the transaction before what refers to it; the
      // merchant's budgets last, so their rows are locked only from there to commit), with the
      // operation log's result: nothing is left to send but COMMIT once they are answered.
      const result = { purchaseId };
      await Promise.all([
        insertTransaction(tx, { id: transactionId, operationId, type: 'PURCHASE_EARN', userId: input.userId, merchantId: input.merchantId, description: 'Purchase', createdAt: now }),
        ...assets.map((asset) =>
          creditLots(tx, locked.get(accountKey(userAccount(input.userId, asset)))!, asset, transactionId, [
            { amount: asset === 'POINTS' ? earning.points : green.greenPoints, availableAt, expiresAt },
          ], now),
        ),
        send(insertPurchase(tx, [recorded])),
        ...(green.lines.length > 0 ? [send(tx.insert(purchaseLines).values(green.lines.map((l, i) => ({ purchaseId, lineNo: i + 1, ...l }))))] : []),
        // Other domains (green-impact) learn of the purchase from the outbox, written in this same transaction.
        publish(
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
            greenPoints: green.greenPoints,
            lines: green.lines,
          },
          now,
        ),
        settle(result),
        ...(drafts.length > 0 ? [appendPostings(tx, transactionId, drafts, new Map([...locked, ...budgets]))] : []),
      ]);
      return result;
    },
    async (tx, result) => {
      if (recorded?.id === result.purchaseId) return recorded;
      const [row] = await tx.select().from(purchases).where(eq(purchases.id, result.purchaseId));
      return row!;
    },
    now,
    // What the purchase is checked and earned by, read in the log claim's round trip.
    (tx) => loadPurchaseContext(tx, purchase, occurredAt),
  );
}
