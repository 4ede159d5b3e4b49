import { randomUUID } from 'node:crypto';
import { isCleanText, isUuid, type Principal } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { ledgerOutbox, lots, purchaseLines, purchases, refunds } from '@greenpoints/db/schema/ledger';
import { publish } from '@greenpoints/events';
import { and, asc, eq, sql } from 'drizzle-orm';
import { accountKey, budgetAccount, move, userAccount, type Asset } from '../domain/postings.ts';
import { badInput, LedgerError } from '../errors.ts';
import { addDebt, appendPostings, insertTransaction, lockAccounts, takeFromLots } from '../repositories/accountsRepository.ts';
import type { PurchaseRow } from '../repositories/transactionsRepository.ts';
import { actorOf } from './actor.ts';
import { runOperation } from './operationLog.ts';

export interface RefundInput {
  purchaseId: string;
  /** Fen to refund; with `lines`, must equal their value. Neither: everything not yet refunded. */
  amount?: number | null;
  lines?: { sku: string; quantity: number }[] | null;
}

/**
 * The share of `total` that `part` of `whole` carries, floored, so repeated partial refunds never
 * take more than all. In BigInt: points × fen passes 2^53 on a large purchase, where a float product
 * rounds and a full refund took back a point less than was earned.
 */
const share = (total: number, part: number, whole: number) => (whole === 0 ? 0 : Number((BigInt(total) * BigInt(part)) / BigInt(whole)));

/** Only the merchant that recorded the purchase, or an admin, may refund it (or see a refund's result). */
function authorizeRefund(principal: Principal, purchase: PurchaseRow): void {
  if (!(principal.role === 'admin' || (principal.role === 'merchant' && principal.merchantId === purchase.merchantId))) {
    throw new LedgerError('FORBIDDEN', 'Only the merchant that recorded the purchase, or an admin, may refund it');
  }
}

/**
 * Refunds a purchase, fully or in part, once per key: takes back the points (and green points) the
 * refunded part earned — voiding what is still pending and taking back what is left of the
 * purchase's own lots, then what the user holds in other lots — and records only what the account
 * cannot cover as the user's points debt, settled first by later earnings. The points return to the merchant's budgets. A purchase with green lines is
 * refunded by lines, so exactly those lines' green points and impact are reversed.
 */
export async function refundPurchase(db: Database, principal: Principal, input: RefundInput, idempotencyKey: string, now = new Date()): Promise<PurchaseRow> {
  if (!isUuid(input.purchaseId)) throw new LedgerError('NOT_FOUND', 'No such purchase', { argument: 'purchaseId' });
  if (input.amount != null && (!Number.isSafeInteger(input.amount) || input.amount <= 0)) throw badInput('amount', 'amount must be a positive whole number of fen');
  for (const l of input.lines ?? []) {
    if (!isCleanText(l.sku, 64) || !l.sku) throw badInput('lines.sku', 'each line needs a SKU of at most 64 characters');
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0 || l.quantity > 10_000) throw badInput('lines.quantity', 'quantity must be 1–10000');
  }
  if ((input.lines?.length ?? 0) > 200) throw badInput('lines', 'at most 200 lines');
  const request = { purchaseId: input.purchaseId, amount: input.amount ?? null, lines: (input.lines ?? []).map((l) => [l.sku, l.quantity]) };

  return runOperation(
    db,
    { scope: `refund:${input.purchaseId}`, key: idempotencyKey, actor: actorOf(principal), request },
    async (tx, operationId) => {
      const [purchase] = await tx.select().from(purchases).where(eq(purchases.id, input.purchaseId)).for('update');
      if (!purchase) throw new LedgerError('NOT_FOUND', 'No such purchase', { argument: 'purchaseId' });
      authorizeRefund(principal, purchase);
      const lineRows = await tx.select().from(purchaseLines).where(eq(purchaseLines.purchaseId, purchase.id)).orderBy(asc(purchaseLines.lineNo));
      const remainingMinor = purchase.amountMinor - purchase.refundedMinor;
      // Which units of which lines this refund covers.
      const taken = new Map<number, number>();
      if (input.lines?.length) {
        for (const want of input.lines) {
          let left = want.quantity;
          for (const line of lineRows.filter((l) => l.sku === want.sku)) {
            const free = line.quantity - line.refundedQuantity - (taken.get(line.lineNo) ?? 0);
            const take = Math.min(free, left);
            if (take > 0) taken.set(line.lineNo, (taken.get(line.lineNo) ?? 0) + take);
            left -= take;
          }
          if (left > 0) throw new LedgerError('REFUND_EXCEEDS_PURCHASE', `The purchase has no ${want.quantity} unrefunded units of ${want.sku}`, { field: 'lines' });
        }
      } else if (input.amount == null || input.amount === remainingMinor) {
        for (const line of lineRows) if (line.quantity > line.refundedQuantity) taken.set(line.lineNo, line.quantity - line.refundedQuantity);
      } else if (lineRows.some((l) => l.greenPoints > 0)) {
        throw badInput('lines', 'This purchase has green lines: name the refunded lines so their green points and impact are reversed exactly');
      }
      const linesValue = lineRows.reduce((s, l) => s + (taken.get(l.lineNo) ?? 0) * l.unitPriceMinor, 0);
      const amount = input.lines?.length ? linesValue : (input.amount ?? remainingMinor);
      if (input.lines?.length && input.amount != null && input.amount !== linesValue) {
        throw new LedgerError('LINES_MISMATCH', `The refunded lines are worth ${linesValue} fen, not ${input.amount}`, { field: 'amount' });
      }
      // Lines given away (a free bag, priced 0) are refunded by naming them: nothing is paid back,
      // but the green points and impact they earned are reversed. Otherwise a refund returns money.
      if (amount > remainingMinor || (amount <= 0 && taken.size === 0)) {
        throw new LedgerError('REFUND_EXCEEDS_PURCHASE', `At most ${remainingMinor} fen of this purchase is left to refund`, { field: 'amount' });
      }

      const refundedAfter = purchase.refundedMinor + amount;
      const points =
        share(purchase.points, refundedAfter, purchase.amountMinor) - share(purchase.points, purchase.refundedMinor, purchase.amountMinor);
      const refundedLines = lineRows
        .filter((l) => taken.has(l.lineNo))
        .map((l) => {
          const qty = taken.get(l.lineNo)!;
          const green = share(l.greenPoints, l.refundedQuantity + qty, l.quantity) - share(l.greenPoints, l.refundedQuantity, l.quantity);
          return { line: l, qty, green };
        });
      const greenPoints = refundedLines.reduce((s, l) => s + l.green, 0);

      const transactionId = randomUUID();
      await insertTransaction(tx, { id: transactionId, operationId, type: 'REFUND', userId: purchase.userId, merchantId: purchase.merchantId, description: 'Refund', metadata: { purchaseId: purchase.id }, createdAt: now });
      const assets: [Asset, number][] = ([['POINTS', points], ['GREEN_POINTS', greenPoints]] as [Asset, number][]).filter(([, n]) => n > 0);
      const locked = await lockAccounts(tx, assets.map(([a]) => userAccount(purchase.userId, a)));
      let debt = 0;
      for (const [asset, n] of assets) {
        const account = locked.get(accountKey(userAccount(purchase.userId, asset)))!;
        const own = await tx.select({ id: lots.id }).from(lots).where(and(eq(lots.transactionId, purchase.transactionId), eq(lots.accountId, account.id)));
        const refund = { reason: 'REFUND' as const, now, includePending: true, partial: true };
        const sum = (taken: { amount: number }[]) => taken.reduce((s, a) => s + a.amount, 0);
        // The purchase's own lots first, lapsed ones included: those points are still the user's.
        const fromOwn = sum(await takeFromLots(tx, account.id, n, transactionId, { ...refund, includeLapsed: true, lotIds: own.map((l) => l.id) }));
        // What of them was spent or moved is taken from the user's other live lots, first-expiring-
        // first; only what the account cannot cover becomes debt, so a user never owes while holding points.
        const got = fromOwn + sum(await takeFromLots(tx, account.id, n - fromOwn, transactionId, refund));
        if (asset === 'POINTS') debt = n - got;
        await addDebt(tx, account, n - got);
      }
      for (const { line, qty } of refundedLines) {
        await tx.update(purchaseLines).set({ refundedQuantity: sql`${purchaseLines.refundedQuantity} + ${qty}` }).where(and(eq(purchaseLines.purchaseId, purchase.id), eq(purchaseLines.lineNo, line.lineNo)));
      }
      await tx
        .update(purchases)
        .set({ refundedMinor: refundedAfter, status: refundedAfter === purchase.amountMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED' })
        .where(eq(purchases.id, purchase.id));
      const refundId = randomUUID();
      await tx.insert(refunds).values({ id: refundId, purchaseId: purchase.id, transactionId, amountMinor: amount, points, greenPoints, debt, createdAt: now });
      await publish(tx, ledgerOutbox, 'PurchaseRefunded', {
        refundId,
        purchaseId: purchase.id,
        userId: purchase.userId,
        merchantId: purchase.merchantId,
        occurredAt: now.toISOString(),
        amountMinor: amount,
        points,
        greenPoints,
        full: refundedAfter === purchase.amountMinor,
        lines: refundedLines.map(({ line, qty, green }) => ({ sku: line.sku, quantity: qty, greenPoints: green })),
      }, now);
      const drafts = assets.flatMap(([asset, n]) => move(userAccount(purchase.userId, asset), budgetAccount(purchase.merchantId, asset), n));
      if (drafts.length > 0) await appendPostings(tx, transactionId, drafts);
      return { purchaseId: purchase.id, refundId };
    },
    async (tx, result) => {
      const purchase = (await tx.select().from(purchases).where(eq(purchases.id, result.purchaseId)))[0]!;
      // A retry under someone else's key (the scope is the purchase's) gets nothing it may not see.
      authorizeRefund(principal, purchase);
      return purchase;
    },
    now,
  );
}
