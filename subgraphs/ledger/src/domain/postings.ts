/** Double entry: a transaction's postings must sum to zero per asset, and no posting is zero. */

export type Asset = 'POINTS' | 'GREEN_POINTS';
export type AccountKind =
  | 'USER'
  | 'HOUSEHOLD_POOL'
  /** Points on hold for a user's redemptions, between the hold and its post or void. */
  | 'HOLD'
  /** A merchant's funded budget (POINTS and GREEN_POINTS): issuance never exceeds it. */
  | 'MERCHANT_ISSUANCE'
  /** The alliance's own funded green budget, for green actions it organises. */
  | 'ALLIANCE_ISSUANCE'
  | 'MERCHANT_REDEMPTION'
  | 'ALLIANCE_POOL'
  | 'BREAKAGE'
  | 'CLAWBACK'
  | 'COMPENSATION';

/** Accounts whose points are held in lots (spent first-expiring-first, may carry a debt). */
export const LOT_KINDS: ReadonlySet<AccountKind> = new Set(['USER', 'HOUSEHOLD_POOL']);

/** Funded budgets: a debit is refused rather than let them go below zero. */
export const BUDGET_KINDS: ReadonlySet<AccountKind> = new Set(['MERCHANT_ISSUANCE', 'ALLIANCE_ISSUANCE']);

/**
 * Sinks and sources that may go negative by design (the pool that funds budgets) or only ever grow
 * (redemptions at a merchant, breakage, clawbacks): their balance is the sum of their postings and
 * no cached row is updated, so the hottest accounts of the alliance take no row lock at all.
 */
export const UNCACHED_KINDS: ReadonlySet<AccountKind> = new Set(['ALLIANCE_POOL', 'MERCHANT_REDEMPTION', 'BREAKAGE', 'CLAWBACK', 'COMPENSATION']);

export interface AccountRef {
  kind: AccountKind;
  ownerId: string;
  asset: Asset;
}

export interface PostingDraft {
  account: AccountRef;
  amount: number;
}

/** The alliance's own accounts have this owner. */
export const ALLIANCE = 'alliance';

export const accountKey = (a: AccountRef) => `${a.kind}:${a.ownerId}:${a.asset}`;

export function assertBalanced(postings: PostingDraft[]): void {
  const sums = new Map<Asset, number>();
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amount) || p.amount === 0) throw new Error(`invalid posting amount ${p.amount}`);
    sums.set(p.account.asset, (sums.get(p.account.asset) ?? 0) + p.amount);
  }
  for (const [asset, sum] of sums) if (sum !== 0) throw new Error(`postings for ${asset} sum to ${sum}, not 0`);
}

export const userAccount = (userId: string, asset: Asset = 'POINTS'): AccountRef => ({ kind: 'USER', ownerId: userId, asset });
export const budgetAccount = (funder: string | null, asset: Asset): AccountRef =>
  funder ? { kind: 'MERCHANT_ISSUANCE', ownerId: funder, asset } : { kind: 'ALLIANCE_ISSUANCE', ownerId: ALLIANCE, asset };

/** Moves `amount` from one account to another (one asset); nothing when the amount is zero. */
export function move(from: AccountRef, to: AccountRef, amount: number): PostingDraft[] {
  if (amount === 0) return [];
  if (from.asset !== to.asset) throw new Error('a move stays within one asset');
  return [
    { account: from, amount: -amount },
    { account: to, amount },
  ];
}

/**
 * A purchase moves points from the merchant's funded issuance budget to the user, and green points
 * from the merchant's funded green budget: every point issued is funded by whoever issues it.
 */
export function purchasePostings(userId: string, merchantId: string, points: number, greenPoints: number): PostingDraft[] {
  const postings = [
    ...move(budgetAccount(merchantId, 'POINTS'), userAccount(userId, 'POINTS'), points),
    ...move(budgetAccount(merchantId, 'GREEN_POINTS'), userAccount(userId, 'GREEN_POINTS'), greenPoints),
  ];
  assertBalanced(postings);
  return postings;
}

/**
 * A funder buys a block of points: the alliance pool issues them into the funder's budget (a
 * merchant's, or the alliance's own green budget when `funder` is null).
 */
export function budgetFundingPostings(funder: string | null, points: number, asset: Asset = 'POINTS'): PostingDraft[] {
  const postings = move({ kind: 'ALLIANCE_POOL', ownerId: ALLIANCE, asset }, budgetAccount(funder, asset), points);
  assertBalanced(postings);
  return postings;
}
