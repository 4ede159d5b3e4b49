import { randomUUID } from 'node:crypto';
import type { Executor } from '@greenpoints/db';
import { accounts, lots, postings } from '@greenpoints/db/schema/ledger';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { accountKey, type AccountRef, type PostingDraft } from '../domain/postings.ts';

export type AccountRow = typeof accounts.$inferSelect;

/**
 * Creates missing accounts, then locks all of them with SELECT … FOR UPDATE in id order, so two
 * transactions touching the same accounts queue instead of deadlocking.
 */
export async function lockAccounts(tx: Executor, refs: AccountRef[]): Promise<Map<string, AccountRow>> {
  const unique = [...new Map(refs.map((r) => [accountKey(r), r])).values()];
  await tx
    .insert(accounts)
    .values(unique.map((r) => ({ id: randomUUID(), kind: r.kind, ownerId: r.ownerId, asset: r.asset })))
    .onConflictDoNothing({ target: [accounts.kind, accounts.ownerId, accounts.asset] });
  const rows = await tx
    .select()
    .from(accounts)
    .where(
      sql`(${accounts.kind}, ${accounts.ownerId}, ${accounts.asset}) IN (${sql.join(
        unique.map((r) => sql`(${r.kind}, ${r.ownerId}, ${r.asset})`),
        sql`, `,
      )})`,
    )
    .orderBy(asc(accounts.id))
    .for('update');
  return new Map(rows.map((row) => [accountKey({ kind: row.kind as AccountRef['kind'], ownerId: row.ownerId, asset: row.asset as AccountRef['asset'] }), row]));
}

/** Appends postings and moves each cached balance by the same amount, in the caller's transaction. */
export async function appendPostings(
  tx: Executor,
  transactionId: string,
  drafts: PostingDraft[],
  locked: Map<string, AccountRow>,
): Promise<void> {
  const rows = drafts.map((d) => {
    const account = locked.get(accountKey(d.account));
    if (!account) throw new Error(`account ${accountKey(d.account)} was not locked`);
    return { transactionId, accountId: account.id, asset: d.account.asset, amount: d.amount };
  });
  await tx.insert(postings).values(rows);
  for (const row of rows) {
    await tx
      .update(accounts)
      .set({ balance: sql`${accounts.balance} + ${row.amount}` })
      .where(eq(accounts.id, row.accountId));
  }
}

export interface LotDraft {
  accountId: string;
  transactionId: string;
  asset: string;
  amount: number;
  availableAt: Date;
  expiresAt: Date;
}

export async function insertLots(tx: Executor, drafts: LotDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  await tx.insert(lots).values(drafts.map((d) => ({ ...d, id: randomUUID(), remaining: d.amount })));
}

export function createAccountsReader(db: Executor) {
  return {
    userAccounts: (userIds: readonly string[]) =>
      db
        .select()
        .from(accounts)
        .where(and(eq(accounts.kind, 'USER'), inArray(accounts.ownerId, [...userIds]))),
    /** Lots with points left, of the given user accounts, soonest expiry first. */
    openLots: (accountIds: readonly string[]) =>
      db
        .select()
        .from(lots)
        .where(and(inArray(lots.accountId, [...accountIds]), sql`${lots.remaining} > 0`))
        .orderBy(asc(lots.expiresAt), asc(lots.id)),
  };
}
