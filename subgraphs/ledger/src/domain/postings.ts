/** Double entry: a transaction's postings must sum to zero per asset, and no posting is zero. */

export type Asset = 'POINTS' | 'GREEN_POINTS';
export type AccountKind =
  | 'USER'
  | 'HOUSEHOLD_POOL'
  | 'MERCHANT_ISSUANCE'
  /** The alliance's funded budget for what it issues itself (green points of its own green activities). */
  | 'ALLIANCE_ISSUANCE'
  | 'MERCHANT_REDEMPTION'
  | 'ALLIANCE_POOL'
  | 'BREAKAGE'
  | 'COMPENSATION';

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

/**
 * A purchase moves points from the merchant's funded issuance budget to the user, and green points
 * from the alliance's green pool (green points are funded by the alliance, not by merchants).
 */
export function purchasePostings(userId: string, merchantId: string, points: number, greenPoints: number): PostingDraft[] {
  const postings: PostingDraft[] = [];
  if (points > 0) {
    postings.push({ account: { kind: 'MERCHANT_ISSUANCE', ownerId: merchantId, asset: 'POINTS' }, amount: -points });
    postings.push({ account: { kind: 'USER', ownerId: userId, asset: 'POINTS' }, amount: points });
  }
  if (greenPoints > 0) {
    postings.push({ account: { kind: 'ALLIANCE_POOL', ownerId: ALLIANCE, asset: 'GREEN_POINTS' }, amount: -greenPoints });
    postings.push({ account: { kind: 'USER', ownerId: userId, asset: 'GREEN_POINTS' }, amount: greenPoints });
  }
  assertBalanced(postings);
  return postings;
}

/** A merchant buys a block of points: the alliance pool issues them into the merchant's issuance budget. */
export function budgetFundingPostings(merchantId: string, points: number): PostingDraft[] {
  const postings: PostingDraft[] = [
    { account: { kind: 'ALLIANCE_POOL', ownerId: ALLIANCE, asset: 'POINTS' }, amount: -points },
    { account: { kind: 'MERCHANT_ISSUANCE', ownerId: merchantId, asset: 'POINTS' }, amount: points },
  ];
  assertBalanced(postings);
  return postings;
}
