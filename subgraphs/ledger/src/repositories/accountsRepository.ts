import { randomUUID } from 'node:crypto';
import { inIds, prepared, preparedInsert, send, type Executor } from '@greenpoints/db';
import { accounts, lotAllocations, lots, postings, transactions } from '@greenpoints/db/schema/ledger';
import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { accountKey, assertBalanced, BUDGET_KINDS, move, UNCACHED_KINDS, type AccountKind, type AccountRef, type Asset, type PostingDraft } from '../domain/postings.ts';
import { LedgerError } from '../errors.ts';

export type AccountRow = typeof accounts.$inferSelect;
export type LotRow = typeof lots.$inferSelect;
export type AllocationReason = 'SPEND' | 'HOLD' | 'REFUND' | 'EXPIRE' | 'CLAWBACK' | 'DEBT' | 'TRANSFER';

const refOf = (row: AccountRow): AccountRef => ({ kind: row.kind as AccountKind, ownerId: row.ownerId, asset: row.asset as Asset });
const keyOf = (row: AccountRow) => accountKey(refOf(row));

// The writes every ledger operation makes, each statement built once (`prepared`, `preparedInsert`).
const insertTransactionRows = preparedInsert('ledger_transactions_insert', transactions, [
  'id', 'operationId', 'type', 'idempotencyKey', 'userId', 'counterpartyId', 'merchantId', 'description', 'metadata', 'createdAt',
]);
const insertLotRows = preparedInsert('ledger_lots_insert', lots, ['id', 'accountId', 'transactionId', 'asset', 'amount', 'remaining', 'availableAt', 'expiresAt']);
const insertPostingRows = preparedInsert('ledger_postings_insert', postings, ['transactionId', 'accountId', 'asset', 'amount']);
const insertAllocationRows = preparedInsert('ledger_lot_allocations_insert', lotAllocations, ['lotId', 'transactionId', 'amount', 'reason']);
const moveBalance = prepared('ledger_account_move', (db) =>
  db
    .update(accounts)
    .set({ balance: sql`${accounts.balance} + ${sql.placeholder('amount')}::bigint` })
    .where(eq(accounts.id, sql.placeholder('id'))),
);
/** A budget's debit: refused (no row) when it would go below zero. */
const debitBudget = prepared('ledger_budget_debit', (db) =>
  db
    .update(accounts)
    .set({ balance: sql`${accounts.balance} + ${sql.placeholder('amount')}::bigint` })
    .where(and(eq(accounts.id, sql.placeholder('id')), sql`${accounts.balance} + ${sql.placeholder('amount')}::bigint >= 0`))
    .returning({ id: accounts.id }),
);
const creditBudget = prepared('ledger_budget_credit', (db) =>
  db
    .update(accounts)
    .set({ balance: sql`${accounts.balance} + ${sql.placeholder('amount')}::bigint` })
    .where(eq(accounts.id, sql.placeholder('id')))
    .returning({ id: accounts.id }),
);
const takeFromLot = prepared('ledger_lot_take', (db) =>
  db
    .update(lots)
    .set({ remaining: sql`${lots.remaining} - ${sql.placeholder('amount')}::bigint` })
    .where(eq(lots.id, sql.placeholder('id'))),
);

/** Up to this many accounts, a lookup by (kind, owner, asset) has a statement of its own shape; more are built per call. */
const ACCOUNT_SHAPES_MAX = 6;
const accountShapes = new Map<string, (db: Executor, values: Record<string, unknown>) => Promise<AccountRow[]>>();
/** The accounts with these (kind, owner, asset), in id order (the lock order), locked or not. */
function accountsByRefs(count: number, lock: boolean) {
  const name = `ledger_accounts_by_ref_${count}${lock ? '_locked' : ''}`;
  let query = accountShapes.get(name);
  if (!query) {
    query = prepared(name, (db) => {
      const refs = Array.from({ length: count }, (_, i) => sql`(${sql.placeholder(`kind${i}`)}, ${sql.placeholder(`owner${i}`)}, ${sql.placeholder(`asset${i}`)})`);
      const select = db.select().from(accounts).where(sql`(${accounts.kind}, ${accounts.ownerId}, ${accounts.asset}) IN (${sql.join(refs, sql`, `)})`).orderBy(asc(accounts.id));
      return lock ? select.for('update') : select;
    });
    accountShapes.set(name, query);
  }
  return query;
}

/**
 * Returns the given accounts, creating those that do not exist yet, optionally locked. Existing
 * accounts (the usual case) cost one statement; the missing are inserted and read again. Issued
 * without awaiting anything first, so a caller may pipeline it with other statements.
 */
export async function ensureAccounts(tx: Executor, refs: AccountRef[], lock = false): Promise<Map<string, AccountRow>> {
  const unique = [...new Map(refs.map((r) => [accountKey(r), r])).values()];
  if (unique.length === 0) return new Map();
  const read = (wanted: AccountRef[]) => {
    if (wanted.length <= ACCOUNT_SHAPES_MAX) {
      return accountsByRefs(wanted.length, lock)(tx, Object.fromEntries(wanted.flatMap((r, i) => [[`kind${i}`, r.kind], [`owner${i}`, r.ownerId], [`asset${i}`, r.asset]])));
    }
    const query = tx
      .select()
      .from(accounts)
      .where(sql`(${accounts.kind}, ${accounts.ownerId}, ${accounts.asset}) IN (${sql.join(wanted.map((r) => sql`(${r.kind}, ${r.ownerId}, ${r.asset})`), sql`, `)})`)
      .orderBy(asc(accounts.id));
    return lock ? query.for('update') : query;
  };
  const found = new Map((await read(unique)).map((row) => [keyOf(row), row]));
  const missing = unique.filter((r) => !found.has(accountKey(r)));
  if (missing.length === 0) return found;
  await tx
    .insert(accounts)
    .values(missing.map((r) => ({ id: randomUUID(), kind: r.kind, ownerId: r.ownerId, asset: r.asset })))
    .onConflictDoNothing({ target: [accounts.kind, accounts.ownerId, accounts.asset] });
  for (const row of await read(missing)) found.set(keyOf(row), row);
  return found;
}

/**
 * Locks the given accounts (creating missing ones) with SELECT … FOR UPDATE in id order, so two
 * transactions touching the same accounts queue instead of deadlocking. Only accounts that hold lots
 * or holds are locked this way: funded budgets are debited by one conditional UPDATE at the end
 * (see appendPostings) and sinks are never locked, so no merchant or pool row serialises the alliance.
 */
export const lockAccounts = (tx: Executor, refs: AccountRef[]) => ensureAccounts(tx, refs, true);

export interface TransactionHeader {
  id: string;
  operationId: number | null;
  type: string;
  userId?: string | null;
  counterpartyId?: string | null;
  merchantId?: string | null;
  description: string;
  metadata?: Record<string, unknown>;
  createdAt: Date;
}

/** Inserts a transaction's header; its postings follow with appendPostings in the same database transaction. */
export async function insertTransaction(tx: Executor, t: TransactionHeader): Promise<void> {
  await insertTransactions(tx, [t]);
}

/** Inserts many transaction headers in one statement (a batch operation such as the expiry run). */
export async function insertTransactions(tx: Executor, headers: readonly TransactionHeader[]): Promise<void> {
  if (headers.length === 0) return;
  await insertTransactionRows(
    tx,
    headers.map((t) => ({
      id: t.id,
      operationId: t.operationId,
      type: t.type,
      // Unique per transaction; the client's key lives once, in the operation log.
      idempotencyKey: `tx:${t.id}`,
      userId: t.userId ?? null,
      counterpartyId: t.counterpartyId ?? null,
      merchantId: t.merchantId ?? null,
      description: t.description,
      metadata: t.metadata ?? {},
      createdAt: t.createdAt,
    })),
  );
}

/**
 * Appends balanced postings and moves cached balances: lot and hold accounts by a plain update (the
 * caller holds their lock); funded budgets last, each by a single conditional decrement that refuses
 * to go below zero (BUDGET_EXHAUSTED), so the row lock on a merchant's budget is held only from that
 * statement to commit; sinks and the funding pool not at all (their balance is their postings' sum).
 * `known`: the accounts as the caller already read them, which saves looking them up again.
 */
export async function appendPostings(
  tx: Executor,
  transactionId: string,
  drafts: PostingDraft[],
  known?: ReadonlyMap<string, AccountRow>,
): Promise<Map<string, AccountRow>> {
  assertBalanced(drafts);
  const refs = drafts.map((d) => d.account);
  const found = known && refs.every((r) => known.has(accountKey(r))) ? new Map(known) : await ensureAccounts(tx, refs);
  const rows = drafts.map((d) => ({ transactionId, accountId: found.get(accountKey(d.account))!.id, asset: d.account.asset, amount: d.amount, kind: d.account.kind }));
  const net = new Map<string, { accountId: string; kind: AccountKind; amount: number }>();
  for (const r of rows) {
    const entry = net.get(r.accountId) ?? { accountId: r.accountId, kind: r.kind, amount: 0 };
    entry.amount += r.amount;
    net.set(r.accountId, entry);
  }
  const moves = [...net.values()].filter((m) => m.amount !== 0 && !UNCACHED_KINDS.has(m.kind));
  const budgets = moves.filter((x) => BUDGET_KINDS.has(x.kind)).sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
  // Sent together, in this order, in one round trip: the postings, lot and hold balances, budgets last.
  const [, , covered] = await Promise.all([
    send(insertPostingRows(tx, rows.map(({ kind: _kind, ...r }) => r))),
    Promise.all(
      moves
        .filter((x) => !BUDGET_KINDS.has(x.kind))
        .map((m) => send(moveBalance(tx, { id: m.accountId, amount: m.amount }))),
    ),
    Promise.all(
      // Only a debit can exhaust a budget: funding one that some error left short always lands.
      budgets.map((m) => send((m.amount < 0 ? debitBudget : creditBudget)(tx, { id: m.accountId, amount: m.amount }))),
    ),
  ]);
  if (covered.some((updated) => updated.length === 0)) throw new LedgerError('BUDGET_EXHAUSTED', 'The funded budget cannot cover these points');
  return found;
}

export interface Allocation {
  lotId: string;
  amount: number;
  availableAt: Date;
  expiresAt: Date;
}

export interface TakeOptions {
  reason: AllocationReason;
  now: Date;
  /** Take pending lots too (a refund voids what is still pending). */
  includePending?: boolean;
  /** Take expired lots only (the expiry run) instead of live ones. */
  expiredOnly?: boolean;
  /**
   * Take lots that lapsed but that the expiry run has not reached yet as well as live ones (a refund
   * takes back its own purchase's points wherever they still are, rather than charging them as debt
   * and then expiring them too).
   */
  includeLapsed?: boolean;
  /** Only these lots (a refund takes back the purchase's own lot). */
  lotIds?: string[];
  /** Take what there is rather than refusing when it is not enough. */
  partial?: boolean;
}

/**
 * The one spend routine: takes `amount` from an account's lots, first-expiring-first, under row
 * locks, and records each lot it touched in lot_allocations. The caller holds the account's lock.
 * INSUFFICIENT_POINTS, writing nothing, when the lots cannot cover it (unless `partial`).
 */
export async function takeFromLots(tx: Executor, accountId: string, amount: number, transactionId: string, opts: TakeOptions): Promise<Allocation[]> {
  if (amount <= 0) return [];
  const open = await tx
    .select()
    .from(lots)
    .where(
      and(
        eq(lots.accountId, accountId),
        gt(lots.remaining, 0),
        opts.expiredOnly ? lte(lots.expiresAt, opts.now) : opts.includeLapsed ? undefined : gt(lots.expiresAt, opts.now),
        opts.includePending || opts.expiredOnly ? undefined : lte(lots.availableAt, opts.now),
        opts.lotIds ? inArray(lots.id, opts.lotIds.length ? opts.lotIds : ['00000000-0000-0000-0000-000000000000']) : undefined,
      ),
    )
    .orderBy(asc(lots.expiresAt), asc(lots.id))
    .for('update');
  const taken: Allocation[] = [];
  let left = amount;
  for (const lot of open) {
    if (left === 0) break;
    const take = Math.min(left, lot.remaining);
    taken.push({ lotId: lot.id, amount: take, availableAt: lot.availableAt, expiresAt: lot.expiresAt });
    left -= take;
  }
  if (left > 0 && !opts.partial) throw new LedgerError('INSUFFICIENT_POINTS', `Not enough points: ${amount - left} of ${amount} available`);
  if (taken.length === 0) return taken;
  await Promise.all([
    send(insertAllocationRows(tx, taken.map((a) => ({ lotId: a.lotId, transactionId, amount: a.amount, reason: opts.reason })))),
    ...taken.map((a) => send(takeFromLot(tx, { id: a.lotId, amount: a.amount }))),
  ]);
  return taken;
}

export interface LotCredit {
  amount: number;
  availableAt: Date;
  expiresAt: Date;
}

/**
 * Credits lots to a locked account. A recorded debt is settled first, from the earliest-expiring new
 * lot that has not lapsed by `now`, so a user never spends while owing. Returns the debt settled. `account` is the row as locked
 * in this transaction: its debt is read from it and kept current in it (addDebt does the same), so
 * the statements go out together without reading the row again.
 */
export async function creditLots(tx: Executor, account: AccountRow, asset: Asset, transactionId: string, credits: LotCredit[], now = new Date()): Promise<number> {
  const ordered = credits.filter((c) => c.amount > 0).sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  if (ordered.length === 0) return 0;
  let debt = account.debt;
  const rows = ordered.map((c) => ({ id: randomUUID(), accountId: account.id, transactionId, asset, amount: c.amount, remaining: c.amount, availableAt: c.availableAt, expiresAt: c.expiresAt }));
  const settlements: { lotId: string; amount: number }[] = [];
  for (const row of rows) {
    if (debt === 0) break;
    // A lapsed lot put back (a voided or cancelled redemption) is worth nothing: it goes to breakage, not to the debt.
    if (row.expiresAt <= now) continue;
    const settle = Math.min(debt, row.remaining);
    row.remaining -= settle;
    debt -= settle;
    settlements.push({ lotId: row.id, amount: settle });
  }
  const settled = account.debt - debt;
  account.debt = debt;
  await Promise.all([
    send(insertLotRows(tx, rows)),
    ...(settled > 0
      ? [
          send(insertAllocationRows(tx, settlements.map((s) => ({ lotId: s.lotId, transactionId, amount: s.amount, reason: 'DEBT' as const })))),
          send(tx.update(accounts).set({ debt: sql`${accounts.debt} - ${settled}` }).where(eq(accounts.id, account.id))),
        ]
      : []),
  ]);
  return settled;
}

/**
 * Moves up to `amount` points between two accounts locked in this transaction (`locked`), lot by
 * lot first-expiring-first, each keeping its dates (no appreciation, no extension), with the
 * postings for what moved. Returns the points moved (all of `amount` unless `opts.partial`).
 */
export async function moveLots(
  tx: Executor,
  locked: ReadonlyMap<string, AccountRow>,
  from: AccountRef,
  to: AccountRef,
  amount: number,
  transactionId: string,
  opts: Omit<TakeOptions, 'reason'>,
): Promise<number> {
  const taken = await takeFromLots(tx, locked.get(accountKey(from))!.id, amount, transactionId, { ...opts, reason: 'TRANSFER' });
  const moved = taken.reduce((s, a) => s + a.amount, 0);
  if (moved === 0) return 0;
  await creditLots(tx, locked.get(accountKey(to))!, 'POINTS', transactionId, taken.map((a) => ({ amount: a.amount, availableAt: a.availableAt, expiresAt: a.expiresAt })), opts.now);
  await appendPostings(tx, transactionId, move(from, to, moved));
  return moved;
}

/** Adds to a locked account's recorded debt (a refund of points already spent), in the row as well. */
export async function addDebt(tx: Executor, account: AccountRow, amount: number): Promise<void> {
  if (amount <= 0) return;
  account.debt += amount;
  await tx.update(accounts).set({ debt: sql`${accounts.debt} + ${amount}` }).where(eq(accounts.id, account.id));
}

/** The allocations a transaction made, with their lots' dates: what a reversal puts back. */
export async function allocationsOf(tx: Executor, transactionId: string) {
  return tx
    .select({ lotId: lotAllocations.lotId, amount: lotAllocations.amount, availableAt: lots.availableAt, expiresAt: lots.expiresAt })
    .from(lotAllocations)
    .innerJoin(lots, eq(lots.id, lotAllocations.lotId))
    .where(eq(lotAllocations.transactionId, transactionId));
}

const accountsOfKind = prepared('ledger_accounts_of_kind', (db) =>
  db.select().from(accounts).where(and(eq(accounts.kind, sql.placeholder('kind')), inIds(accounts.ownerId, 'text'))),
);
const accountsById = prepared('ledger_accounts_by_id', (db) => db.select().from(accounts).where(inIds(accounts.id)));
const lotsOpen = prepared('ledger_open_lots', (db) =>
  db
    .select()
    .from(lots)
    .where(and(inIds(lots.accountId), sql`${lots.remaining} > 0`))
    .orderBy(asc(lots.expiresAt), asc(lots.id)),
);

/** The reads of accounts and lots every request makes, each statement built once (`prepared`); owners are text (a user, a merchant, `alliance`). */
export function createAccountsReader(db: Executor) {
  return {
    accountsOf: (kind: AccountKind, ownerIds: readonly string[]) => accountsOfKind(db, { kind, ids: [...ownerIds] }),
    accountsByIds: (accountIds: readonly string[]) => accountsById(db, { ids: [...accountIds] }),
    userAccounts: (userIds: readonly string[]) => accountsOfKind(db, { kind: 'USER', ids: [...userIds] }),
    /** Lots with points left, of the given accounts, soonest expiry first. */
    openLots: (accountIds: readonly string[]) => lotsOpen(db, { ids: [...accountIds] }),
  };
}
