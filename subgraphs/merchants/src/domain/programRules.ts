/**
 * The programme's rules as disclosed to members. The figures that are not per merchant live here;
 * the ledger applies the same ones (its lot validity), and test/e2e/earnRules.e2e.ts checks that a
 * lot the ledger writes expires exactly when this says.
 */
export const POINTS_VALID_DAYS = 365;

export function programRules(maxPendingDays: number) {
  return {
    earning:
      "Points are earned only from a real purchase at a member merchant or a verified green action. A purchase earns by the merchant's earn rule in force at the time of purchase (points per yuan paid, times your tier's multiplier, up to the rule's per-order cap); green products and green actions earn green points. Every rule version is published before it takes effect.",
    pending: `Points earned from a purchase stay pending for the merchant's return window (at most ${maxPendingDays} days today), then become spendable. A refund inside the window takes them back.`,
    expiry: `Points expire ${POINTS_VALID_DAYS} days after they are earned. The date is shown when they are earned and is never shortened; the points that expire first are spent first.`,
    redemption:
      "Points are redeemed for any reward in the catalogue, goods and services alike, at any member merchant, at the cost shown (the sale cost inside its window). The terms are shown before you redeem; a cancelled redemption returns the points.",
    neverAllowed: [
      'Exchanging points for cash.',
      'Transferring points to anyone outside your household.',
      'Interest on points, or points that grow in value.',
      'Points issued without a real purchase or a verified green action.',
    ],
    pointsValidDays: POINTS_VALID_DAYS,
    maxPendingDays,
    cashOut: false,
    transferOutsideHousehold: false,
    interest: false,
  };
}
