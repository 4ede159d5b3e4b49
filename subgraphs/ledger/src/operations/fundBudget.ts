import { randomUUID } from 'node:crypto';
import { isUuid, type Principal } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { merchantCopies, transactions } from '@greenpoints/db/schema/ledger';
import { eq } from 'drizzle-orm';
import { budgetFundingPostings, type Asset } from '../domain/postings.ts';
import { badInput, LedgerError } from '../errors.ts';
import { appendPostings, insertTransaction } from '../repositories/accountsRepository.ts';
import type { TransactionRow } from '../repositories/transactionsRepository.ts';
import { actorOf } from './actor.ts';
import { runOperation } from './operationLog.ts';

/**
 * Records that a merchant bought a block of points (or green points), or that the alliance funded
 * its own green budget (`merchantId` null): issuance can never exceed what was funded. Admins only,
 * once per key.
 */
export function fundIssuanceBudget(db: Database, principal: Principal, merchantId: string | null, points: number, asset: Asset, idempotencyKey: string, now = new Date()): Promise<TransactionRow> {
  if (principal.role !== 'admin') throw new LedgerError('FORBIDDEN', 'Only an admin records budget funding');
  if (merchantId !== null && !isUuid(merchantId)) throw new LedgerError('UNKNOWN_MERCHANT', 'No such merchant', { field: 'merchantId' });
  if (!Number.isSafeInteger(points) || points <= 0 || points > 1_000_000_000) throw badInput('points', 'points must be a whole number between 1 and 1000000000');
  return runOperation(
    db,
    { scope: 'fund', key: idempotencyKey, actor: actorOf(principal), request: { merchantId, points, asset } },
    async (tx, operationId) => {
      if (merchantId) {
        const [m] = await tx.select().from(merchantCopies).where(eq(merchantCopies.merchantId, merchantId));
        if (!m) throw new LedgerError('UNKNOWN_MERCHANT', 'No such merchant', { field: 'merchantId' });
      }
      const transactionId = randomUUID();
      await insertTransaction(tx, { id: transactionId, operationId, type: 'BUDGET_FUNDING', merchantId, description: asset === 'POINTS' ? 'Issuance budget funded' : 'Green budget funded', createdAt: now });
      await appendPostings(tx, transactionId, budgetFundingPostings(merchantId, points, asset));
      return { transactionId };
    },
    async (tx, r) => (await tx.select().from(transactions).where(eq(transactions.id, r.transactionId)))[0]!,
    now,
  );
}
