import { groupLoader, rowLoader } from '@greenpoints/common';
import { fraudCases, redemptions } from '@greenpoints/db/schema/ledger';
import { desc, inArray } from 'drizzle-orm';
import DataLoader from 'dataloader';
import { tierWindowStart } from './domain/tier.ts';
import { createAccountsReader } from './repositories/accountsRepository.ts';
import type { TransactionsRepository } from './repositories/transactionsRepository.ts';
import type { Executor } from '@greenpoints/db';

export interface UserDelta {
  points: number;
  greenPoints: number;
}

/** Built per request, so nothing is cached across callers. */
export function createLoaders(db: Executor, repo: TransactionsRepository, now: Date) {
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
    /** Keyed by `transactionId|userId`: each side of a transfer sees its own amount. */
    userDelta: new DataLoader<string, UserDelta>(async (keys) => {
      const rows = await repo.userDeltas([...new Set(keys.map((k) => k.split('|')[0]!))]);
      const amounts = new Map(rows.map((r) => [`${r.transactionId}|${r.userId}|${r.asset}`, r.amount]));
      return keys.map((k) => ({ points: amounts.get(`${k}|POINTS`) ?? 0, greenPoints: amounts.get(`${k}|GREEN_POINTS`) ?? 0 }));
    }),
    /** Fraud cases per user, newest first (a handful at most). */
    fraudCases: groupLoader((ids) => db.select().from(fraudCases).where(inArray(fraudCases.userId, [...ids])).orderBy(desc(fraudCases.openedAt)), (c) => c.userId),
    /** Redemptions per user, newest first; the resolver takes the page it needs. */
    redemptions: groupLoader(
      (ids) => db.select().from(redemptions).where(inArray(redemptions.userId, [...ids])).orderBy(desc(redemptions.createdAt), desc(redemptions.id)).limit(100 * ids.length),
      (r) => r.userId,
    ),
    accountById: rowLoader((ids) => reader.accountsByIds(ids), (a) => a.id),
    /** Open lots of each household's pool. */
    poolLots: new DataLoader<string, Awaited<ReturnType<typeof reader.openLots>>>(async (householdIds) => {
      const pools = await reader.accountsOf('HOUSEHOLD_POOL', householdIds);
      const lots = pools.length ? await reader.openLots(pools.map((a) => a.id)) : [];
      const ownerOf = new Map(pools.map((a) => [a.id, a.ownerId]));
      return householdIds.map((id) => lots.filter((l) => ownerOf.get(l.accountId) === id));
    }),
    purchaseLines: groupLoader((ids) => repo.linesByPurchases(ids), (l) => l.purchaseId),
    /** Posted spend over the tier window (trailing 12 months from this request's `now`), per user. */
    tierSpend: new DataLoader<string, number>(async (userIds) => {
      const totals = await repo.spendSinceByUsers(userIds, tierWindowStart(now));
      return userIds.map((id) => totals.get(id) ?? 0);
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
