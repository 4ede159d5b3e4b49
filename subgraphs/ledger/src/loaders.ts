import { groupLoader, rowLoader } from '@greenpoints/common';
import { fraudCases, merchantCopies, redemptions } from '@greenpoints/db/schema/ledger';
import { desc, inArray } from 'drizzle-orm';
import DataLoader from 'dataloader';
import { tierWindowStart } from './domain/tier.ts';
import { createAccountsReader } from './repositories/accountsRepository.ts';
import type { TransactionRow, TransactionsRepository } from './repositories/transactionsRepository.ts';
import { inIds, prepared, type Executor } from '@greenpoints/db';

/** Which page of whose transactions: the user, the types asked for, the cursor and the page size. */
export interface TransactionPageKey {
  userId: string;
  types?: string[] | undefined;
  before?: { at: string; id: string } | undefined;
  limit: number;
}
const pageOf = (k: TransactionPageKey) => `${k.types?.join(',') ?? '*'}|${k.before?.at ?? ''}|${k.before?.id ?? ''}|${k.limit}`;

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

export interface UserDelta {
  points: number;
  greenPoints: number;
}

const merchantNames = prepared('ledger_merchant_names', (db) =>
  db
    .select({ merchantId: merchantCopies.merchantId, name: merchantCopies.name, category: merchantCopies.category })
    .from(merchantCopies)
    .where(inIds(merchantCopies.merchantId)),
);

/**
 * `loadMany`'s results, or its first failure thrown: a failed read must fail the request, never
 * read as no rows (a zero balance, a short page).
 */
function loaded<T>(results: (T | Error)[]): T[] {
  const failed = results.find((r): r is Error => r instanceof Error);
  if (failed) throw failed;
  return results as T[];
}

/** Built per request, so nothing is cached across callers. */
export function createLoaders(db: Executor, repo: TransactionsRepository, now: Date) {
  const reader = createAccountsReader(db);
  const userAccounts = groupLoader((ids) => reader.userAccounts(ids), (a) => a.ownerId);
  const transaction = rowLoader((ids) => repo.transactionsByIds(ids), (t) => t.id);
  return {
    userAccounts,
    /** Open lots of a user (both assets), soonest expiry first. */
    openLots: new DataLoader<string, Awaited<ReturnType<typeof reader.openLots>>>(async (userIds) => {
      const accounts = loaded(await userAccounts.loadMany(userIds)).flat();
      const lots = accounts.length ? await reader.openLots(accounts.map((a) => a.id)) : [];
      const ownerOf = new Map(accounts.map((a) => [a.id, a.ownerId]));
      return userIds.map((id) => lots.filter((l) => ownerOf.get(l.accountId) === id));
    }),
    transaction,
    /**
     * A page of each user's transactions, for a whole list of users at once: keyed by the user and
     * the page asked for; users asking for the same page cost one statement between them, and the
     * rows come through the `transaction` loader.
     */
    transactionPage: new DataLoader<TransactionPageKey, TransactionRow[], string>(
      async (keys) => {
        const pages = new Map<string, Map<string, string[]>>();
        for (const [page, group] of groupBy(keys, pageOf)) {
          const first = group[0]!;
          pages.set(page, await repo.userTransactionIds({ userIds: [...new Set(group.map((k) => k.userId))], types: first.types, before: first.before, limit: first.limit }));
        }
        return Promise.all(
          keys.map(async (k) => {
            const ids = pages.get(pageOf(k))?.get(k.userId) ?? [];
            return loaded(await transaction.loadMany(ids)).filter((r): r is TransactionRow => r !== null && r !== undefined);
          }),
        );
      },
      { cacheKeyFn: (k) => `${k.userId}|${pageOf(k)}` },
    ),
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
    /** What the ledger knows of merchants (name, category), for the merchants its transactions name. */
    merchantCopy: rowLoader((ids) => merchantNames(db, { ids: [...ids] }), (m) => m.merchantId),
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
