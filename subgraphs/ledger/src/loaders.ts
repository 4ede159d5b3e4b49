import { groupLoader, rowLoader } from '@greenpoints/common';
import DataLoader from 'dataloader';
import { createAccountsReader } from './repositories/accountsRepository.ts';
import type { TransactionsRepository } from './repositories/transactionsRepository.ts';
import type { Executor } from '@greenpoints/db';

export interface UserDelta {
  points: number;
  greenPoints: number;
}

/** Built per request, so nothing is cached across callers. */
export function createLoaders(db: Executor, repo: TransactionsRepository) {
  const reader = createAccountsReader(db);
  const userAccounts = groupLoader((ids) => reader.userAccounts(ids), (a) => a.ownerId);
  return {
    userAccounts,
    /** Open lots of a user (both assets), soonest expiry first. */
    openLots: new DataLoader<string, Awaited<ReturnType<typeof reader.openLots>>>(async (userIds) => {
      const accounts = (await userAccounts.loadMany(userIds)).flatMap((r) => (r instanceof Error ? [] : r));
      const lots = accounts.length ? await reader.openLots(accounts.map((a) => a.id)) : [];
      const ownerOf = new Map(accounts.map((a) => [a.id, a.ownerId]));
      return userIds.map((id) => lots.filter((l) => ownerOf.get(l.accountId) === id));
    }),
    transaction: rowLoader((ids) => repo.transactionsByIds(ids), (t) => t.id),
    userDelta: new DataLoader<string, UserDelta>(async (txIds) => {
      const rows = await repo.userDeltas(txIds);
      return txIds.map((id) => ({
        points: rows.find((r) => r.transactionId === id && r.asset === 'POINTS')?.amount ?? 0,
        greenPoints: rows.find((r) => r.transactionId === id && r.asset === 'GREEN_POINTS')?.amount ?? 0,
      }));
    }),
    purchaseLines: groupLoader((ids) => repo.linesByPurchases(ids), (l) => l.purchaseId),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
