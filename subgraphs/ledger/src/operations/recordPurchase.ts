import { createHash, randomUUID } from 'node:crypto';
import { isCleanText, isUuid, type Principal } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { ledgerOutbox, purchaseLines, purchases, transactions } from '@greenpoints/db/schema/ledger';
import { computeEarning, lotDates, type LineIn } from '../domain/earning.ts';
import { accountKey, purchasePostings } from '../domain/postings.ts';
import { tierFor, tierWindowStart } from '../domain/tier.ts';
import { badInput, LedgerError } from '../errors.ts';
import { appendPostings, insertLots, lockAccounts } from '../repositories/accountsRepository.ts';
import { createTransactionsRepository, type PurchaseRow } from '../repositories/transactionsRepository.ts';

export interface PurchaseInput {
  userId: string;
  merchantId: string;
  amountMinor: number;
  lines?: LineIn[] | null;
  occurredAt?: Date | null;
}

/** The largest single purchase accepted: ¥10,000,000 in fen. Anything above is a typo or an attack. */
const MAX_AMOUNT_MINOR = 1_000_000_000;
const MAX_LINES = 200;
/** Points are earned under published rules; nothing in the alliance predates this. */
const EARLIEST_PURCHASE = new Date('2000-01-01T00:00:00Z');

function validate(input: PurchaseInput, idempotencyKey: string, now: Date): void {
  if (!isUuid(input.userId)) throw badInput('userId', 'userId is not a valid id');
  if (!isUuid(input.merchantId)) throw new LedgerError('UNKNOWN_MERCHANT', 'No such merchant', { field: 'merchantId' });
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0 || input.amountMinor > MAX_AMOUNT_MINOR) {
    throw badInput('amountMinor', `amountMinor must be a whole number of fen between 1 and ${MAX_AMOUNT_MINOR}`);
  }
  if (idempotencyKey.length < 1 || !isCleanText(idempotencyKey, 200)) throw badInput('idempotencyKey', 'idempotencyKey must be 1–200 characters of valid text');
  const lines = input.lines ?? [];
  if (lines.length > MAX_LINES) throw badInput('lines', `at most ${MAX_LINES} lines`);
  for (const line of lines) {
    if (!line.sku || !isCleanText(line.sku, 64)) throw badInput('lines.sku', 'each line needs a SKU of at most 64 characters of valid text');
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0 || line.quantity > 10_000) throw badInput('lines.quantity', 'quantity must be 1–10000');
    if (!Number.isSafeInteger(line.unitPriceMinor) || line.unitPriceMinor < 0) throw badInput('lines.unitPriceMinor', 'unitPriceMinor must be a non-negative integer');
  }
  if (input.occurredAt && input.occurredAt.getTime() > now.getTime() + 60_000) throw badInput('occurredAt', 'occurredAt is in the future');
  if (input.occurredAt && input.occurredAt < EARLIEST_PURCHASE) throw badInput('occurredAt', 'occurredAt is before 2000');
}

/** Merchants record their own purchases; admins any. Points are only issued from a real purchase. */
function authorize(principal: Principal, merchantId: string): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'merchant' && principal.merchantId === merchantId) return;
  throw new LedgerError('FORBIDDEN', 'Only the merchant itself may record its purchases');
}

function requestHash(input: PurchaseInput): string {
  const canonical = {
    userId: input.userId,
    merchantId: input.merchantId,
    amountMinor: input.amountMinor,
    lines: (input.lines ?? []).map((l) => [l.sku, l.quantity, l.unitPriceMinor]),
    occurredAt: input.occurredAt?.toISOString() ?? null,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

function replay(existing: PurchaseRow | undefined, hash: string): PurchaseRow {
  if (!existing) throw new LedgerError('IDEMPOTENCY_CONFLICT', 'This idempotency key was used for another operation');
  if (existing.requestHash !== hash) {
    throw new LedgerError('IDEMPOTENCY_CONFLICT', 'This idempotency key was used with a different purchase');
  }
  return existing;
}

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

    const rule = await repo.earnRuleAt(input.merchantId, occurredAt);
    if (!rule) throw new LedgerError('UNKNOWN_MERCHANT', 'No such merchant, or it has no published earn rule', { field: 'merchantId' });
    const spend = await repo.spendSince(input.userId, tierWindowStart(occurredAt));
    const { tier, multiplierPercent } = tierFor(spend);
    const greenRates = await repo.greenPointsPerUnit([...new Set(lines.map((l) => l.sku))]);
    const earning = computeEarning(input.amountMinor, rule, multiplierPercent, lines, greenRates);

    const drafts = purchasePostings(input.userId, input.merchantId, earning.points, earning.greenPoints);
    if (drafts.length > 0) {
      const locked = await lockAccounts(tx, drafts.map((d) => d.account));
      const budget = locked.get(accountKey({ kind: 'MERCHANT_ISSUANCE', ownerId: input.merchantId, asset: 'POINTS' }));
      if (earning.points > 0 && (budget?.balance ?? 0) < earning.points) {
        throw new LedgerError('BUDGET_EXHAUSTED', "The merchant's funded points budget cannot cover this purchase");
      }
      await appendPostings(tx, transactionId, drafts, locked);
      const { availableAt, expiresAt } = lotDates(occurredAt, rule.pendingDays);
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
        earnRuleVersion: rule.version,
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
    await tx.insert(ledgerOutbox).values({
      eventId: randomUUID(),
      type: 'PurchaseRecorded',
      payload: {
        purchaseId,
        userId: input.userId,
        merchantId: input.merchantId,
        occurredAt: occurredAt.toISOString(),
        lines: earning.lines,
      },
    });
    return purchase!;
  });
}
