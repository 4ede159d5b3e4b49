/** A reward's price at a moment: the sale price inside its window, the regular price otherwise. */
export interface Priced {
  pointsCost: number;
  salePointsCost: number | null;
  saleStartsAt: Date | null;
  saleEndsAt: Date | null;
}

export function saleActive(reward: Priced, at: Date): boolean {
  return (
    reward.salePointsCost !== null &&
    reward.saleStartsAt !== null &&
    reward.saleEndsAt !== null &&
    reward.saleStartsAt <= at &&
    at < reward.saleEndsAt
  );
}

export function currentPointsCost(reward: Priced, at: Date): number {
  return saleActive(reward, at) ? (reward.salePointsCost ?? reward.pointsCost) : reward.pointsCost;
}
